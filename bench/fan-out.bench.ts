// Fan-out: --pods web pods (default 32) spread evenly over the lab's 4 nodes, captured with one
// `podcap capture -l app=web`, timed until every one of them is listening; against one pod
// captured alone, alternated run by run, medians. Target: at most 2 × the one-pod time.
// The pods beyond the lab's own three are made for the run and deleted after it.

import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { interrupt, labPods, labUp, podcapBin, REPO_DIR, spawnUntil } from "./lib/lab-run.js";
import { numberParam } from "./lib/params.js";
import { printRatio, recordResult } from "./lib/result.js";
import { median } from "./lib/stats.js";

const pods = numberParam("pods", 32);
const rounds = numberParam("rounds", 3);
const NODES = ["node-a", "node-b", "node-c", "node-d"];
const LISTENING = /listening on/;

const lab = (...args: string[]) => {
  const run = spawnSync(`${REPO_DIR}/scripts/lab`, args, { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`scripts/lab ${args.join(" ")}: ${run.stderr}`);
};
const webPods = () => labPods().filter((p) => p.namespace === "demo" && p.labels.app === "web");

labUp();
const tag = randomBytes(2).toString("hex");
const made: string[] = [];
try {
  // Fill each node up to its even share, so the pods spread as a Deployment's would.
  const share = Math.ceil(pods / NODES.length);
  for (const node of NODES) {
    let onNode = webPods().filter((p) => p.node === node).length;
    while (onNode < share && webPods().length < pods) {
      const suffix = `b${tag}${made.length}`;
      lab("pod", "add-web", suffix, node);
      made.push(`web-6b7f9d8c5-${suffix}`);
      onNode += 1;
    }
  }
  const count = webPods().length;
  const one = webPods()[0]?.name ?? "";

  const timeUntilListening = async (args: string[], times: number) => {
    const run = spawnUntil(
      [process.execPath, podcapBin, "capture", "-n", "demo", ...args, "-o", "/dev/null"],
      LISTENING,
      { times },
    );
    const seconds = await run.said;
    await interrupt(run);
    return seconds;
  };
  await timeUntilListening([one], 1); // the code cache and the nodes' page caches warm
  const manySamples: number[] = [];
  const oneSamples: number[] = [];
  let missing = "";
  for (let round = 0; round < rounds && missing === ""; round += 1) {
    try {
      manySamples.push(await timeUntilListening(["-l", "app=web"], count));
    } catch (error) {
      // Not every pod listening in time is this benchmark's finding, not a crash.
      const failed = (error as Error).message.split("\n").filter((line) => / failed: /.test(line));
      missing = failed.join("; ") || "timed out";
      console.error(missing);
    }
    oneSamples.push(await timeUntilListening([one], 1));
  }
  const result = recordResult({
    name: "fan-out",
    figure: {
      what: `podcap -l app=web (${count} pods)`,
      value: manySamples.length > 0 ? median(manySamples) : Number.NaN,
      unit: "s",
      samples: manySamples,
    },
    baseline: { what: "podcap, one pod", value: median(oneSamples), unit: "s", samples: oneSamples },
    target: {
      better: "lower",
      ratio: 2,
      text: `${count} pods on ${NODES.length} nodes listening within 2 × one pod's time`,
    },
    parameters: { pods: count, nodes: NODES.length, rounds },
    checks: { [`all ${count} pods listening${missing ? ` (${missing})` : ""}`]: missing === "" },
  });
  printRatio(result);
} finally {
  for (const name of made) spawnSync(`${REPO_DIR}/scripts/lab`, ["pod", "delete", "demo", name]);
}
