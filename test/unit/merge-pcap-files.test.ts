// mergePcapFiles against mergecap, the reference: the same files merged by both must show tshark
// the same packets in the same order, and ours names each file's interface.

import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { afterAll, describe, expect, it } from "vitest";
import { mergePcapFiles, type PcapFileInput } from "../../src/deliver/merge-pcap-files.js";
import { PcapStreamError } from "../../src/deliver/pcap-records.js";
import {
  mergedPackets,
  pcapFixture,
  recordBoundaries,
  retimed,
  seeded,
  toBigEndian,
  tsharkRead,
} from "./pcap-tools.js";

const usec = pcapFixture("lo-icmp-usec.pcap");
const nsec = pcapFixture("lo-icmp-nsec.pcap");
const dir = mkdtempSync(join(tmpdir(), "pctest-merge-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `count` increasing times from `start`, gaps of 0 (a tie with the one before) to `gap` ns. */
function stamps(seed: number, count: number, start: bigint, gap: number, unit = 1n): bigint[] {
  const next = seeded(seed);
  let at = start;
  return Array.from({ length: count }, () => {
    at += BigInt(next(gap)) * unit;
    return at;
  });
}

const START = 1_700_000_000_000_000_000n;
const byTime = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
const webTimes = stamps(1, 1000, START, 3000, 1000n);

function file(name: string, bytes: Buffer): PcapFileInput {
  const path = join(dir, `${name}.pcap`);
  writeFileSync(path, bytes);
  return { path, name: `demo/${name}/eth0`, description: `node worker-1, container ${name}` };
}

const inputs = [
  file("web", retimed(usec, webTimes)),
  file("api", retimed(nsec, stamps(2, 1000, START, 3_000_000))),
  // big-endian; half its packets at the very times of web's, cut short so tshark tells them apart
  file(
    "db",
    toBigEndian(
      retimed(usec, [...webTimes.slice(0, 400), ...stamps(3, 400, START, 9000, 1000n)].sort(byTime), [40]),
    ),
  ),
  file("idle", usec.subarray(0, 24)),
];

async function ourMerge(files: PcapFileInput[], name: string) {
  const path = join(dir, `${name}.pcapng`);
  const output = createWriteStream(path);
  try {
    return { stats: await mergePcapFiles(files, output), bytes: () => readFileSync(path) };
  } finally {
    output.end();
    await finished(output);
  }
}

function mergecap(files: PcapFileInput[]): Buffer {
  const path = join(dir, "mergecap.pcapng");
  const run = spawnSync("mergecap", ["-F", "pcapng", "-w", path, ...files.map((f) => f.path)], {
    encoding: "utf8",
  });
  expect(run.status, run.stderr).toBe(0);
  return readFileSync(path);
}

const dump = (pcapng: Buffer) => tsharkRead(pcapng, ["frame.time_epoch", "frame.len", "frame.cap_len"]).rows;

describe("mergePcapFiles", () => {
  it("merges files into the same packets in the same order as mergecap -F pcapng", async () => {
    const { stats, bytes: read } = await ourMerge(inputs, "ours");
    const bytes = read();
    const reference = mergecap(inputs);
    expect(dump(reference)).toHaveLength(2800);
    expect(dump(bytes)).toEqual(dump(reference));
    expect(stats).toEqual({ packets: 2800, bytes: bytes.length, sources: 4, outOfOrder: 0 });

    const packets = mergedPackets(bytes);
    const ofDb = packets.filter((p) => p.name === "demo/db/eth0");
    expect(ofDb).toHaveLength(800);
    expect(new Set(ofDb.map((p) => p.description))).toEqual(new Set(["node worker-1, container db"]));
  });

  it("merges a file cut short in a record up to its last whole record", async () => {
    const whole = readFileSync(inputs[1]?.path as string);
    const cut = file("cut", whole.subarray(0, (recordBoundaries(whole)[700] as number) + 30));
    const { stats, bytes } = await ourMerge([inputs[0] as PcapFileInput, cut], "cut");
    expect(stats.packets).toBe(1700);
    expect(mergedPackets(bytes())).toHaveLength(1700);
  });

  it("writes a valid pcapng with no input at all", async () => {
    const { stats, bytes } = await ourMerge([], "none");
    expect(stats).toEqual({ packets: 0, bytes: bytes().length, sources: 0, outOfOrder: 0 });
    expect(tsharkRead(bytes()).status).toBe(0);
  });

  it.each([
    ["a text file", Buffer.from("not a capture\n".repeat(4)), /text\.pcap: the stream is not pcap data/],
    [
      "a pcapng file",
      Buffer.from("0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000", "hex"),
      /pcapng, not pcap/,
    ],
    ["a file shorter than a pcap header", Buffer.from("hello"), /text\.pcap: too short for a pcap file/],
  ])("refuses %s, naming it", async (_what, bytes, message) => {
    const bad = file("text", bytes);
    const merged = ourMerge([inputs[0] as PcapFileInput, bad], "refused");
    await expect(merged).rejects.toThrow(PcapStreamError);
    await expect(merged).rejects.toThrow(message);
  });

  it("refuses a file that does not exist", async () => {
    const missing = { path: join(dir, "missing.pcap"), name: "demo/missing/eth0" };
    await expect(ourMerge([missing, inputs[0] as PcapFileInput], "missing")).rejects.toThrow(/ENOENT/);
  });
});
