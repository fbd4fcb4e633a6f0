// Peak memory of podcap while it streams a bulk flow of --bytes (default 1 GB) to a file, sent
// in --steps parts (default 4) with podcap's resident set read after each: the peak (VmHWM) must
// stay within 120 MB, and memory must stay flat as the capture grows (the last reading at most
// 1.25 × the first plus 8 MB). The baseline is the same podcap idle (listening, no flow yet).

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { flowEnds, sendBulk } from "./lib/bulk-flow.js";
import { interrupt, labUp, podcapBin, spawnUntil } from "./lib/lab-run.js";
import { numberParam } from "./lib/params.js";
import { printRatio, recordResult } from "./lib/result.js";

const bytes = numberParam("bytes", 1e9);
const steps = numberParam("steps", 4);
const port = numberParam("port", 5002);
const MB = 1024 * 1024;

labUp();
const ends = flowEnds("web-6b7f9d8c5-k2x4p", port);
const dir = mkdtempSync("/dev/shm/podcap-bench-");

/** VmRSS and VmHWM of a process, in bytes. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"))?.[1]) * 1024;
  return { rss: kib("VmRSS"), peak: kib("VmHWM") };
}

try {
  const run = spawnUntil(
    [
      process.execPath,
      podcapBin,
      "capture",
      "-n",
      "demo",
      ends.server.name,
      "-f",
      `tcp port ${port}`,
      "-o",
      join(dir, "rss.pcap"),
    ],
    /listening on/,
  );
  await run.said;
  const pid = run.child.pid as number;
  const idle = memoryOf(pid);
  const readings: number[] = [];
  for (let step = 0; step < steps; step += 1) {
    await sendBulk(ends, Math.ceil(bytes / steps));
    readings.push(memoryOf(pid).rss);
  }
  const peak = memoryOf(pid).peak;
  await interrupt(run);
  const first = readings[0] ?? 0;
  const last = readings.at(-1) ?? 0;
  const result = recordResult({
    name: "stream-rss",
    figure: { what: "podcap peak RSS", value: peak / MB, unit: "MiB" },
    baseline: { what: "podcap listening, before the flow", value: idle.rss / MB, unit: "MiB" },
    target: {
      better: "lower",
      value: 120 * 0.953674,
      text: "at most 120 MB (114 MiB), flat as the capture grows",
    },
    parameters: { bytes, steps, port, pod: ends.server.name },
    figures: Object.fromEntries(
      readings.map((rss, step) => [
        `afterPart${step + 1}`,
        { what: `RSS after ${step + 1}/${steps}`, value: rss / MB, unit: "MiB" },
      ]),
    ),
    checks: { "flat: last reading ≤ 1.25 × first + 8 MiB": last <= first * 1.25 + 8 * MB },
  });
  printRatio(result);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
