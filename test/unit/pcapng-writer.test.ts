// PcapngWriter's batches: into a file (whose batch buffers it uses again) and into a stream that
// keeps what it is given (which must get fresh ones), the bytes are the blocks in order.

import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, type Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { afterAll, describe, expect, it } from "vitest";
import {
  encodeEnhancedPacket,
  encodeInterfaceDescription,
  encodeSectionHeader,
} from "../../src/deliver/pcapng-blocks.js";
import { PcapngWriter } from "../../src/deliver/pcapng-writer.js";
import { seeded } from "./pcap-tools.js";

const dir = mkdtempSync(join(tmpdir(), "pctest-writer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const iface = { linkType: 1, snapLength: 262_144, name: "demo/web/eth0" };
const next = seeded(3);
const packets = Array.from({ length: 2000 }, (_, i) => ({
  tsNanos: 1_700_000_000_000_000_000n + BigInt(i) * 1000n,
  originalLength: 1500,
  // Now and then one larger than a batch, which needs a buffer of its own.
  data: Buffer.alloc(i % 500 === 7 ? 3000 : 1 + next(300), i & 0xff),
}));
const expected = Buffer.concat([
  encodeSectionHeader("podcap"),
  encodeInterfaceDescription(iface),
  ...packets.map((packet) => encodeEnhancedPacket(0, packet)),
]);

/** Half the packets encoded in place, half handed over encoded, flushing as a merge does. */
async function writeAll(output: Writable): Promise<void> {
  const writer = new PcapngWriter(output, 1024);
  const id = writer.addInterface(iface);
  for (const [i, packet] of packets.entries()) {
    if (i % 2 === 0) writer.addPacket(packet.tsNanos, encodeEnhancedPacket(id, packet));
    else {
      const high = Number(packet.tsNanos >> 32n);
      const low = Number(packet.tsNanos & 0xffff_ffffn);
      writer.writePacket(id, high, low, packet.originalLength, packet.data, 0, packet.data.length);
    }
    if (writer.batchFull) await writer.flush();
  }
  expect(await writer.settle()).toEqual({ packets: 2000, bytes: expected.length, sources: 1, outOfOrder: 0 });
}

describe("PcapngWriter", () => {
  it("writes the blocks in order into a file, its batch buffers used again", async () => {
    const path = join(dir, "out.pcapng");
    const output = createWriteStream(path);
    await writeAll(output);
    output.end();
    await finished(output);
    expect(readFileSync(path).equals(expected)).toBe(true);
  });

  it("writes the blocks in order into a stream that keeps the buffers it was given", async () => {
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on("data", (chunk: Buffer) => chunks.push(chunk));
    await writeAll(output);
    output.end();
    await finished(output);
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
  });

  it("counts a packet older than one written before as out of order", async () => {
    const writer = new PcapngWriter(new PassThrough().resume());
    const data = Buffer.from("x");
    writer.writePacket(0, 1, 5, 1, data, 0, 1);
    writer.writePacket(0, 0, 9, 1, data, 0, 1);
    writer.addPacket(
      (1n << 32n) | 4n,
      encodeEnhancedPacket(0, { tsNanos: (1n << 32n) | 4n, originalLength: 1, data }),
    );
    writer.writePacket(0, 1, 5, 1, data, 0, 1);
    expect(writer.newestWritten).toBe((1n << 32n) | 5n);
    expect((await writer.settle()).outOfOrder).toBe(2);
  });
});
