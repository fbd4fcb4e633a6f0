// Test helpers around real pcap bytes: tshark as the independent reader (it says when a file is
// cut short), the committed fixtures, a byte-order swap that turns tcpdump's little-endian
// files into the big-endian ones a big-endian node would send, captures of any length and timing
// made from the fixtures' packets, and the arbitrary chunkings an SSH channel hands over.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const FIXTURES = new URL("../fixtures/pcap/", import.meta.url);
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

/** A pcap tcpdump wrote here (see test/fixtures/pcap/README.md). */
export const pcapFixture = (name: string): Buffer => readFileSync(new URL(name, FIXTURES));

export interface TsharkRead {
  status: number | null;
  /** One row per packet: the fields asked for, tab-separated by tshark. */
  rows: string[][];
  stderr: string;
}

/** Reads `bytes` as a capture file with tshark, printing `fields` for every packet. */
export function tsharkRead(bytes: Buffer, fields = ["frame.cap_len", "icmp.type"]): TsharkRead {
  const dir = mkdtempSync(join(tmpdir(), "pctest-tshark-"));
  try {
    const file = join(dir, "capture.pcap");
    writeFileSync(file, bytes);
    const run = spawnSync("tshark", ["-r", file, "-T", "fields", ...fields.flatMap((f) => ["-e", f])], {
      encoding: "utf8",
    });
    const rows = run.stdout
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => line.split("\t"));
    return { status: run.status, rows, stderr: run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** tshark read the file to its end: no "cut short", no "damaged", exit status 0. */
export function expectReadToEnd(read: TsharkRead): void {
  if (read.status !== 0 || /cut short|damaged|corrupt|isn't a capture file/i.test(read.stderr)) {
    throw new Error(`tshark could not read the file to its end (status ${read.status}): ${read.stderr}`);
  }
}

/** Offsets where each record starts, and the end, from a little-endian pcap. */
export function recordBoundaries(pcap: Buffer): number[] {
  const boundaries = [GLOBAL_HEADER];
  let offset = GLOBAL_HEADER;
  while (offset + RECORD_HEADER <= pcap.length) {
    offset += RECORD_HEADER + pcap.readUInt32LE(offset + 8);
    boundaries.push(offset);
  }
  return boundaries;
}

/** The same capture in big-endian byte order (magic, header fields and record headers swapped). */
export function toBigEndian(pcap: Buffer): Buffer {
  const out = Buffer.from(pcap);
  const swap32 = (at: number) => out.writeUInt32BE(pcap.readUInt32LE(at), at);
  const swap16 = (at: number) => out.writeUInt16BE(pcap.readUInt16LE(at), at);
  swap32(0);
  swap16(4);
  swap16(6);
  for (const at of [8, 12, 16, 20]) swap32(at);
  const boundaries = recordBoundaries(pcap);
  for (const start of boundaries.slice(0, -1)) {
    for (const at of [0, 4, 8, 12]) swap32(start + at);
  }
  return out;
}

/** A pseudo-random generator of whole numbers from 0 to below `range`, the same for a given seed. */
export function seeded(seed: number): (range: number) => number {
  let state = seed;
  return (range) => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state % range;
  };
}

/** `bytes` in chunks of pseudo-random sizes from 1 to `largest`, the same for a given seed. */
export function chunked(bytes: Buffer, seed: number, largest: number): Buffer[] {
  const next = seeded(seed);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + next(largest);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

const NANOS = 1_000_000_000n;

/**
 * A little-endian pcap in the format of `template` (a fixture) with one record per entry of
 * `times` (nanoseconds since the epoch; whole microseconds for a microsecond template), whose
 * packets are the template's, taken in turn. `cutTo` cuts the captured bytes of record i to at
 * most `cutTo[i % cutTo.length]`, as a snapshot length would.
 */
export function retimed(template: Buffer, times: bigint[], cutTo: number[] = []): Buffer {
  const nanos = template.readUInt32LE(0) === 0xa1b23c4d;
  const starts = recordBoundaries(template).slice(0, -1);
  const parts = [template.subarray(0, GLOBAL_HEADER)];
  for (const [i, time] of times.entries()) {
    const start = starts[i % starts.length] as number;
    const original = template.readUInt32LE(start + 12);
    const captured = Math.min(original, cutTo[i % cutTo.length] ?? original);
    const header = Buffer.alloc(RECORD_HEADER);
    header.writeUInt32LE(Number(time / NANOS), 0);
    header.writeUInt32LE(Number(nanos ? time % NANOS : (time % NANOS) / 1000n), 4);
    header.writeUInt32LE(captured, 8);
    header.writeUInt32LE(original, 12);
    parts.push(header, template.subarray(start + RECORD_HEADER, start + RECORD_HEADER + captured));
  }
  return Buffer.concat(parts);
}

/** tshark's frame.time_epoch ("1700000000.123456789") as nanoseconds since the epoch. */
export function epochNanos(text: string): bigint {
  const [seconds = "", fraction = ""] = text.split(".");
  return BigInt(seconds) * NANOS + BigInt(fraction.padEnd(9, "0").slice(0, 9));
}

export interface MergedPacket {
  name: string;
  description: string;
  nanos: bigint;
  length: number;
  capturedLength: number;
}

/** Every packet of a pcapng as tshark sees it; tshark must read the file to its end. */
export function mergedPackets(pcapng: Buffer): MergedPacket[] {
  const fields = ["frame.interface_name", "frame.interface_description", "frame.time_epoch", "frame.len"];
  const read = tsharkRead(pcapng, [...fields, "frame.cap_len"]);
  expectReadToEnd(read);
  return read.rows.map(([name = "", description = "", time = "", length = "", captured = ""]) => ({
    name,
    description,
    nanos: epochNanos(time),
    length: Number(length),
    capturedLength: Number(captured),
  }));
}
