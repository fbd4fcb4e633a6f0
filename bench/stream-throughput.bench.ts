// Stream throughput: a bulk flow of --bytes (default 1 GB) through the web pod on node-a,
// captured whole by podcap and by OpenSSH piping the same tcpdump to a file (`ssh node nsenter
// -t PID -n tcpdump -w - > file`), one after the other. The figure is pcap bytes per second of
// the flow: on two cores the capture path competes with the flow for CPU, so a costlier path
// shows as a slower flow or as kernel drops. Target: at least 0.95 × the baseline, and no packet
// lost in podcap's own path (every packet tcpdump counts as captured is in the file).
// --rounds (default 3) pairs, alternated, medians: one flow varies by ±15% here.
// Files go to /dev/shm, so the disk is not what is measured.

import { mkdtempSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { flowEnds, packetsIn, sendBulk, tcpdumpCounts } from "./lib/bulk-flow.js";
import { interrupt, labUp, podcapBin, podPid, spawnUntil, sshConfig } from "./lib/lab-run.js";
import { numberParam } from "./lib/params.js";
import { printRatio, recordResult } from "./lib/result.js";
import { median } from "./lib/stats.js";

const bytes = numberParam("bytes", 1e9);
const port = numberParam("port", 5001);
const rounds = numberParam("rounds", 3);
const LISTENING = /listening on/;

labUp();
const ends = flowEnds("web-6b7f9d8c5-k2x4p", port);
const dir = mkdtempSync("/dev/shm/podcap-bench-");
const filter = `tcp port ${port}`;

async function viaPodcap() {
  const file = join(dir, "podcap.pcap");
  const run = spawnUntil(
    [
      process.execPath,
      podcapBin,
      "capture",
      "-n",
      "demo",
      ends.server.name,
      "-f",
      filter,
      "-o",
      file,
      "--json",
    ],
    LISTENING,
    { stdout: "pipe" },
  );
  await run.said;
  const { seconds, received } = await sendBulk(ends, bytes);
  await interrupt(run);
  const summary = JSON.parse(run.stdout());
  const stopReason: string = summary.stopReason;
  return {
    seconds,
    received,
    file,
    size: statSync(file).size,
    ...packetsIn(file),
    tcpdump: summary.tcpdump,
    stopReason,
  };
}

async function viaOpenSsh() {
  const file = join(dir, "ssh.pcap");
  const { openSync, closeSync } = await import("node:fs");
  const out = openSync(file, "w");
  const pid = String(podPid(ends.server));
  const argv = [
    "ssh",
    "-F",
    sshConfig,
    ends.server.node,
    "nsenter",
    "-t",
    pid,
    "-n",
    "tcpdump",
    "-i",
    "eth0",
    "-U",
    "-B",
    "16384",
    "-w",
    "-",
    filter,
  ];
  const run = spawnUntil(argv, LISTENING, { stdout: out });
  await run.said;
  const { seconds, received } = await sendBulk(ends, bytes);
  // tcpdump prints its counts on SIGINT; ssh ends with it.
  const { spawnSync } = await import("node:child_process");
  spawnSync("ssh", [
    "-F",
    sshConfig,
    ends.server.node,
    "pkill",
    "-INT",
    "-f",
    `'tcpdump -i eth0 -U -B 16384 -w - ${filter}$'`,
  ]);
  await run.exited;
  closeSync(out);
  return {
    seconds,
    received,
    file,
    size: statSync(file).size,
    ...packetsIn(file, true),
    tcpdump: tcpdumpCounts(run.stderr()),
  };
}

/** What both paths' runs have; podcap's also say why the capture stopped. */
type Run = Awaited<ReturnType<typeof viaOpenSsh>>;
const rate = (run: { size: number; seconds: number }) => run.size / run.seconds / 1e6;
const sum = (runs: Run[], of: (run: Run) => number) => runs.reduce((total, run) => total + of(run), 0);

try {
  const podcapRuns: Awaited<ReturnType<typeof viaPodcap>>[] = [];
  const sshRuns: Run[] = [];
  for (let round = 0; round < rounds; round += 1) {
    podcapRuns.push(await viaPodcap());
    sshRuns.push(await viaOpenSsh());
  }
  const result = recordResult({
    name: "stream-throughput",
    figure: {
      what: "podcap",
      value: median(podcapRuns.map(rate)),
      unit: "MB/s",
      samples: podcapRuns.map(rate),
    },
    baseline: {
      what: "ssh node nsenter tcpdump -w - > file",
      value: median(sshRuns.map(rate)),
      unit: "MB/s",
      samples: sshRuns.map(rate),
    },
    target: {
      better: "higher",
      ratio: 0.95,
      text: "at least 0.95 × OpenSSH's bytes per second, nothing lost on the way",
    },
    parameters: {
      bytes,
      port,
      rounds,
      pod: ends.server.name,
      node: ends.server.node,
      from: ends.client.name,
    },
    figures: {
      podcapBytes: { what: "podcap pcap, all rounds", value: sum(podcapRuns, (r) => r.size), unit: "B" },
      sshBytes: { what: "ssh pcap, all rounds", value: sum(sshRuns, (r) => r.size), unit: "B" },
      podcapDropped: {
        what: "podcap: dropped by kernel, all rounds",
        value: sum(podcapRuns, (r) => r.tcpdump.droppedByKernel),
        unit: "packets",
      },
      sshDropped: {
        what: "ssh: dropped by kernel, all rounds",
        value: sum(sshRuns, (r) => r.tcpdump.droppedByKernel),
        unit: "packets",
      },
      podcapStoppedEarly: {
        what: `podcap: captures stopped otherwise than interrupted (${podcapRuns.map((r) => r.stopReason).join(", ")})`,
        value: podcapRuns.filter((r) => r.stopReason !== "interrupted").length,
        unit: "captures",
      },
      sshCutShort: {
        what: "ssh: files whose last packet was cut short (tcpdump interrupted in a write)",
        value: sshRuns.filter((r) => r.cut).length,
        unit: "files",
      },
      podcapFlowSeconds: {
        what: "podcap: flow time, median",
        value: median(podcapRuns.map((r) => r.seconds)),
        unit: "s",
      },
      sshFlowSeconds: {
        what: "ssh: flow time, median",
        value: median(sshRuns.map((r) => r.seconds)),
        unit: "s",
      },
    },
    checks: {
      "podcap's file holds every packet tcpdump captured": podcapRuns.every(
        (r) => r.packets === r.tcpdump.captured,
      ),
      "every flow reached the server whole (--bytes received)": [...podcapRuns, ...sshRuns].every(
        (r) => r.received === bytes,
      ),
      "the whole flow was captured (pcap at least --bytes)": podcapRuns.every((r) => r.size >= bytes),
      "every podcap capture ran until interrupted": podcapRuns.every((r) => r.stopReason === "interrupted"),
    },
    tools: { ssh: ["ssh", "-V"], tcpdump: ["tcpdump", "--version"] },
  });
  printRatio(result);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
