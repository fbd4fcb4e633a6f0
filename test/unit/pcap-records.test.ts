// PcapRecordCutter on real tcpdump output (test/fixtures/pcap): whatever the chunking, a cut or a
// size limit, what it hands on is a pcap that tshark reads to the end.

import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { PcapRecordCutter, PcapStreamError } from "../../src/deliver/pcap-records.js";
import {
  chunked,
  expectReadToEnd,
  pcapFixture,
  recordBoundaries,
  toBigEndian,
  tsharkRead,
} from "./pcap-tools.js";

const usec = pcapFixture("lo-icmp-usec.pcap");
const nsec = pcapFixture("lo-icmp-nsec.pcap");
const PACKETS = 10;
const boundaries = recordBoundaries(usec);
/** Where record `i` starts (the end of the file for i = PACKETS). */
const boundary = (i: number) => boundaries[i] ?? Number.NaN;

/** Runs `chunks` through a cutter; resolves with what came out and the cutter, or rejects. */
async function cut(chunks: Buffer[], maxBytes?: number) {
  const cutter = new PcapRecordCutter(maxBytes);
  const out: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.push(chunk);
      done();
    },
  });
  await pipeline(Readable.from(chunks), cutter, sink);
  return { output: Buffer.concat(out), cutter };
}

const lastSeconds = (pcap: Buffer) => pcap.readUInt32LE(boundary(PACKETS - 1));

describe("PcapRecordCutter", () => {
  it("the fixture is what the tests assume: 10 ICMP packets of five sizes, read to the end", () => {
    const read = tsharkRead(usec);
    expectReadToEnd(read);
    expect(read.rows.map(([length]) => Number(length))).toEqual([
      42, 42, 106, 106, 554, 554, 1442, 1442, 3042, 3042,
    ]);
    expect(boundaries).toHaveLength(PACKETS + 1);
    expect(boundaries.at(-1)).toBe(usec.length);
  });

  it.each([
    [1, 1],
    [7, 3],
    [42, 17],
    [99, 64],
    [2024, 700],
    [5, 4000],
    [31, 20_000],
  ])(
    "hands on the same bytes whatever the chunking (seed %i, chunks up to %i bytes)",
    async (seed, largest) => {
      const { output, cutter } = await cut(chunked(usec, seed, largest));
      expect(output.equals(usec)).toBe(true);
      expect(cutter.progress).toEqual({
        packets: PACKETS,
        bytes: usec.length,
        lastPacketAt: lastSeconds(usec),
      });
      expect(cutter.limitReached).toBe(false);
    },
  );

  it.each([
    ["inside the global header", 10],
    ["right after the global header", 24],
    ["inside a record header", boundary(3) + 7],
    ["inside a record's packet bytes", boundary(8) + 1000],
    ["one byte short of the end", usec.length - 1],
  ])("a stream cut %s yields only whole records, which tshark reads to the end", async (_where, at) => {
    const stream = usec.subarray(0, at);
    // tshark refuses the raw cut, so its verdict on the output means something
    if (!boundaries.includes(at)) expect(tsharkRead(stream).status).not.toBe(0);
    const { output, cutter } = await cut(chunked(stream, at, 300));
    const whole = at < 24 ? 0 : Math.max(...boundaries.filter((b) => b <= at));
    expect(output.equals(usec.subarray(0, whole))).toBe(true);
    expect(cutter.progress.packets).toBe(Math.max(0, boundaries.indexOf(whole)));
    if (whole > 0) {
      const read = tsharkRead(output);
      expectReadToEnd(read);
      expect(read.rows).toHaveLength(cutter.progress.packets);
    }
  });

  it.each([
    ["exactly at a record's end", boundary(4), 4],
    ["inside a record", boundary(7) + 100, 7],
    ["before the first record fits", 24 + 16 + 41, 0],
  ])("--max-size %s stops before the record that would cross it", async (_where, maxBytes, kept) => {
    const { output, cutter } = await cut(chunked(usec, maxBytes, 500), maxBytes);
    expect(output.equals(usec.subarray(0, boundaries[kept]))).toBe(true);
    expect(output.length).toBeLessThanOrEqual(maxBytes);
    expect(cutter.limitReached).toBe(true);
    expect(cutter.progress).toMatchObject({ packets: kept, bytes: output.length });
    const read = tsharkRead(output);
    expectReadToEnd(read);
    expect(read.rows).toHaveLength(kept);
  });

  it("a limit the whole capture fits in is never reached", async () => {
    const { output, cutter } = await cut([usec], usec.length);
    expect(output.equals(usec)).toBe(true);
    expect(cutter.limitReached).toBe(false);
  });

  it("drops everything that arrives once the limit is reached", async () => {
    const { output, cutter } = await cut([usec, usec.subarray(24), usec.subarray(24)], boundary(2));
    expect(output.equals(usec.subarray(0, boundary(2)))).toBe(true);
    expect(cutter.progress.packets).toBe(2);
  });

  it.each([
    ["little-endian, nanoseconds", nsec, nsec, "4d3cb2a1"],
    ["big-endian, microseconds", usec, toBigEndian(usec), "a1b2c3d4"],
    ["big-endian, nanoseconds", nsec, toBigEndian(nsec), "a1b23c4d"],
  ])("reads %s pcap", async (_name, source, pcap, magic) => {
    expect(pcap.subarray(0, 4).toString("hex")).toBe(magic);
    expect(recordBoundaries(source)).toEqual(boundaries);
    const { output, cutter } = await cut(chunked(pcap, 3, 900), boundary(6));
    expect(output.equals(pcap.subarray(0, boundary(6)))).toBe(true);
    expect(cutter.progress.packets).toBe(6);
    expect(cutter.progress.lastPacketAt).toBe(source.readUInt32LE(boundary(5)));
    const read = tsharkRead(output);
    expectReadToEnd(read);
    expect(read.rows.map(([length]) => Number(length))).toEqual([42, 42, 106, 106, 554, 554]);
  });

  it.each([
    ["tcpdump's text output", Buffer.from("15:13:01.123456 IP 127.0.0.1 > 127.0.0.1: ICMP echo request\n")],
    ["pcapng", Buffer.concat([Buffer.from("0a0d0d0a1c000000", "hex"), usec.subarray(8)])],
    ["an error message", Buffer.from("tcpdump: lo: You don't have permission to capture on that device\n")],
  ])("refuses a stream that is not pcap: %s", async (_name, bytes) => {
    await expect(cut(chunked(bytes, 9, 10))).rejects.toThrow(PcapStreamError);
    await expect(cut([bytes])).rejects.toThrow(/bad magic number/);
  });

  it("refuses a record that claims more bytes than any snapshot length", async () => {
    const corrupt = Buffer.from(usec.subarray(0, boundary(3)));
    corrupt.writeUInt32LE(0x7fff_ffff, boundary(2) + 8);
    await expect(cut([corrupt])).rejects.toThrow(/claims 2147483647 bytes/);
  });

  it("hands on nothing for a stream shorter than the global header", async () => {
    const { output, cutter } = await cut([usec.subarray(0, 23)]);
    expect(output).toHaveLength(0);
    expect(cutter.progress).toEqual({ packets: 0, bytes: 0 });
  });
});
