// Test helpers around real pcap bytes: tshark as the independent reader (it says when a file is
// cut short), the committed fixtures, and a byte-order swap that turns tcpdump's little-endian
// files into the big-endian ones a big-endian node would send.

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
