// PcapFileReader against PcapStreamParser, the reference: the same records, whatever the read
// size (down to less than one record, so refills join and grow), byte order and precision.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PcapFileReader } from "../../src/deliver/pcap-file-reader.js";
import { PcapStreamError } from "../../src/deliver/pcap-records.js";
import { PcapStreamParser } from "../../src/deliver/pcap-stream-parser.js";
import { pcapFixture, recordBoundaries, retimed, toBigEndian } from "./pcap-tools.js";

const dir = mkdtempSync(join(tmpdir(), "pctest-file-reader-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const START = 1_700_000_000_000_000_000n;
const usec = pcapFixture("lo-icmp-usec.pcap");
const nsec = pcapFixture("lo-icmp-nsec.pcap");
const usecTimes = Array.from({ length: 300 }, (_, i) => START + BigInt(i * 7919) * 1000n);
const nsecTimes = Array.from({ length: 300 }, (_, i) => START + BigInt(i) * 999_999_937n);

const expected = (bytes: Buffer) =>
  new PcapStreamParser().push(bytes).records.map((record) => ({
    tsNanos: record.tsNanos,
    originalLength: record.originalLength,
    data: record.data.toString("hex"),
  }));

async function readAll(path: string, chunkBytes: number) {
  const { reader, header } = await PcapFileReader.open(path, chunkBytes);
  const records = [];
  try {
    while (reader.nextRecord()) {
      const { tsHigh, tsLow, originalLength, buffer, dataStart, capturedLength } = reader;
      records.push({
        tsNanos: (BigInt(tsHigh) << 32n) | BigInt(tsLow),
        originalLength,
        data: buffer.toString("hex", dataStart, dataStart + capturedLength),
      });
    }
  } finally {
    await reader.close();
  }
  return { header, records };
}

describe("PcapFileReader", () => {
  const cases: [string, Buffer][] = [
    ["little-endian microseconds", retimed(usec, usecTimes)],
    ["little-endian nanoseconds", retimed(nsec, nsecTimes)],
    ["big-endian microseconds", toBigEndian(retimed(usec, usecTimes))],
  ];
  for (const [what, bytes] of cases) {
    it.each([24, 40, 1000, 256 * 1024])(
      `reads a ${what} file like the stream parser, in reads of %i`,
      async (chunk) => {
        const { header, records } = await readAll(file(`${what}.pcap`, bytes), chunk);
        expect(header.linkType).toBe(usec.readUInt32LE(20) & 0xffff);
        expect(records).toHaveLength(300);
        expect(records).toEqual(expected(bytes));
      },
    );
  }

  it("drops a record cut short at the end of the file", async () => {
    const whole = retimed(usec, usecTimes);
    const cut = whole.subarray(0, (recordBoundaries(whole)[120] as number) + 20);
    const { records } = await readAll(file("cut.pcap", cut), 64);
    expect(records).toHaveLength(120);
  });

  it("refuses a record larger than any snaplen, naming the file", async () => {
    const bytes = Buffer.from(retimed(usec, usecTimes.slice(0, 3)));
    bytes.writeUInt32LE(0x7fff_ffff, (recordBoundaries(bytes)[1] as number) + 8);
    const { reader } = await PcapFileReader.open(file("huge.pcap", bytes), 4096);
    expect(reader.nextRecord()).toBe(true);
    expect(() => reader.nextRecord()).toThrow(PcapStreamError);
    expect(() => reader.nextRecord()).toThrow(/huge\.pcap: a pcap record claims 2147483647 bytes/);
    await reader.close();
  });
});
