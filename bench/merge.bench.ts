// Issue 11: "Merge of N pcaps into one time-ordered pcapng against mergecap on the same files:
// at least as fast, same packet count and order." The benchmark makes its own pcaps, merges them
// with `mergecap -w out.pcapng in...` and with mergePcapFiles (in this process, as `podcap fetch
// --merge` runs it, and as a process of its own for memory and start-to-end time), runs after
// runs taken in turn so that noise on the shared machine falls on both, and compares what
// tshark reads in both outputs. A second, larger set shows whether memory stays flat.

import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { finished } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { mergePcapFiles } from "../src/deliver/merge-pcap-files.js";
import { captureDigest } from "./lib/capture-digest.js";
import { runMeasured } from "./lib/child-run.js";
import { numberParam } from "./lib/params.js";
import { type Figure, printRatio, recordResult } from "./lib/result.js";
import { formatBytes, formatNumber, median, repeat, wallSeconds } from "./lib/stats.js";
import { syntheticPcap } from "./lib/synthetic-pcap.js";

const files = numberParam("files", 8);
const packets = numberParam("packets", 50_000);
const largeFiles = numberParam("large-files", 16);
const largePackets = numberParam("large-packets", 125_000);
const runs = numberParam("runs", 5);
/** tshark's view of a packet: the source address is the file and sequence number. */
const DIGEST_FIELDS = ["frame.time_epoch", "frame.len", "frame.cap_len", "eth.src"];

const work = mkdtempSync(join(tmpdir(), "podcap-bench-merge-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

/** mergePcapFiles bundled as a process of its own (bundled, so no loader adds to its start). */
function bundleMergeProcess(): string {
  const outfile = join(work, "merge-files-main.mjs");
  buildSync({
    entryPoints: [fileURLToPath(new URL("merge-files-main.ts", import.meta.url))],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
  });
  return outfile;
}

function makeInputs(set: string, count: number, perFile: number): string[] {
  return Array.from({ length: count }, (_, fileIndex) => {
    const path = join(work, `${set}-${String(fileIndex).padStart(3, "0")}.pcap`);
    writeFileSync(path, "");
    const spec = { fileIndex, packets: perFile, seed: 1000 + fileIndex, nanos: fileIndex % 4 === 3 };
    for (const chunk of syntheticPcap(spec)) writeFileSync(path, chunk, { flag: "a" });
    return path;
  });
}

async function mergeInProcess(inputs: string[], out: string): Promise<{ wall: number; cpu: number }> {
  const cpuBefore = process.cpuUsage();
  const wall = await wallSeconds(async () => {
    const output = createWriteStream(out);
    try {
      await mergePcapFiles(
        inputs.map((path) => ({ path, name: basename(path, ".pcap") })),
        output,
      );
    } finally {
      output.end();
      await finished(output);
    }
  });
  const cpu = process.cpuUsage(cpuBefore);
  return { wall, cpu: (cpu.user + cpu.system) / 1e6 };
}

const seconds = (what: string, samples: number[]): Figure => ({
  what,
  value: median(samples),
  unit: "s",
  samples,
});
const bytes = (what: string, samples: number[]): Figure => ({
  what,
  value: median(samples),
  unit: "B",
  samples,
});

/** Every measurement of one input set, podcap's and mergecap's taken in turn. */
async function measureSet(set: string, count: number, perFile: number, mergeProcess: string) {
  const inputs = makeInputs(set, count, perFile);
  const ours = join(work, `${set}-podcap.pcapng`);
  const theirs = join(work, `${set}-mergecap.pcapng`);
  const rounds = await repeat(runs, async () => {
    const reference = await runMeasured(["mergecap", "-w", theirs, ...inputs]);
    const inProcess = await mergeInProcess(inputs, ours);
    const alone = await runMeasured([process.execPath, mergeProcess, ours, ...inputs]);
    return { reference, inProcess, alone };
  });
  const [ourDigest, theirDigest] = [
    await captureDigest(ours, DIGEST_FIELDS),
    await captureDigest(theirs, DIGEST_FIELDS),
  ];
  for (const inputPath of inputs) rmSync(inputPath);
  return {
    podcap: seconds(
      "podcap",
      rounds.map((r) => r.inProcess.wall),
    ),
    mergecap: seconds(
      "mergecap",
      rounds.map((r) => r.reference.wallSeconds),
    ),
    podcapCpu: seconds(
      "podcap",
      rounds.map((r) => r.inProcess.cpu),
    ),
    mergecapCpu: seconds(
      "mergecap",
      rounds.map((r) => r.reference.userSeconds + r.reference.systemSeconds),
    ),
    podcapProcess: seconds(
      "podcap process",
      rounds.map((r) => r.alone.wallSeconds),
    ),
    podcapRss: bytes(
      "podcap process",
      rounds.map((r) => r.alone.peakRssBytes),
    ),
    mergecapRss: bytes(
      "mergecap",
      rounds.map((r) => r.reference.peakRssBytes),
    ),
    checks: {
      [`${set}: every packet`]: ourDigest.packets === count * perFile,
      [`${set}: same count and order as mergecap`]:
        ourDigest.packets === theirDigest.packets && ourDigest.sha256 === theirDigest.sha256,
      [`${set}: tshark reads it to the end`]: ourDigest.readToEnd,
    },
  };
}

const mergeProcess = bundleMergeProcess();
const small = await measureSet("default", files, packets, mergeProcess);
const large = largeFiles > 0 ? await measureSet("large", largeFiles, largePackets, mergeProcess) : undefined;

const figures: Record<string, Figure> = {
  "podcap CPU": small.podcapCpu,
  "mergecap CPU": small.mergecapCpu,
  "podcap as a process, wall": small.podcapProcess,
  "podcap peak RSS": small.podcapRss,
  "mergecap peak RSS": small.mergecapRss,
};
if (large) {
  Object.assign(figures, {
    "large: podcap wall": large.podcap,
    "large: mergecap wall": large.mergecap,
    "large: podcap CPU": large.podcapCpu,
    "large: mergecap CPU": large.mergecapCpu,
    "large: podcap as a process, wall": large.podcapProcess,
    "large: podcap peak RSS": large.podcapRss,
    "large: mergecap peak RSS": large.mergecapRss,
  });
}
const result = recordResult({
  name: "merge",
  figure: small.podcap,
  baseline: small.mergecap,
  target: { better: "lower", ratio: 1, text: "at least as fast as mergecap, same packet count and order" },
  parameters: { files, packets, largeFiles, largePackets, runs },
  figures,
  checks: { ...small.checks, ...large?.checks },
  tools: { mergecap: undefined, tshark: undefined },
});
for (const [name, figure] of Object.entries(figures)) {
  const value =
    figure.unit === "B" ? formatBytes(figure.value) : `${formatNumber(figure.value)} ${figure.unit}`;
  console.log(`  ${name}: ${value}`);
}
printRatio(result);
