// Time to first packet, one pod: from invocation until tcpdump listens, podcap against the
// scripted hand workflow of seeds/001 (kubectl get pod -o jsonpath, then `ssh node docker
// inspect`, then `ssh node nsenter -t PID -n tcpdump -w -`), alternated run by run, medians.
// Target: podcap at most half the baseline's time. Where NODE_EXTRA_CA_CERTS is set, podcap is
// timed a third way in each round, without it, as a figure beside the headline one.
//
// --rounds=N (default 5), --pod=NAME (default the web pod on node-a: docker, root).

import { spawnSync } from "node:child_process";
import { interrupt, labEnv, labUp, podcapBin, podNamed, spawnUntil, sshConfig } from "./lib/lab-run.js";
import { numberParam, stringParam } from "./lib/params.js";
import { type Figure, printRatio, recordResult } from "./lib/result.js";
import { formatNumber, median } from "./lib/stats.js";

const rounds = numberParam("rounds", 5);
const podName = stringParam("pod", "web-6b7f9d8c5-k2x4p");
const LISTENING = /listening on/;

labUp();
const pod = podNamed(podName);

async function podcapRun(env: NodeJS.ProcessEnv = labEnv): Promise<number> {
  const run = spawnUntil(
    [process.execPath, podcapBin, "capture", "-n", "demo", pod.name, "-o", "/dev/null"],
    LISTENING,
    { env },
  );
  const seconds = await run.said;
  await interrupt(run);
  return seconds;
}

/** The hand workflow, each step a separate tool as a person types it; the last one until "listening". */
async function handRun(round: number): Promise<number> {
  const start = performance.now();
  const fields = spawnSync(
    "kubectl",
    [
      "get",
      "pod",
      "-n",
      "demo",
      pod.name,
      "-o",
      "jsonpath={.spec.nodeName} {.status.containerStatuses[0].containerID}",
    ],
    {
      env: labEnv,
      encoding: "utf8",
    },
  ).stdout.trim();
  const [node = "", containerId = ""] = fields.split(" ");
  const id = containerId.replace(/^docker:\/\//, "");
  const pid = spawnSync(
    "ssh",
    ["-F", sshConfig, node, "docker", "inspect", "--format", "{{.State.Pid}}", id],
    {
      encoding: "utf8",
    },
  ).stdout.trim();
  // A marker port in the filter names this tcpdump, so the run ends it on the node afterwards
  // (the hand workflow has no cleanup of its own: ssh going away leaves it until its next write).
  const marker = 40000 + (round % 1000);
  const capture = spawnUntil(
    [
      "ssh",
      "-F",
      sshConfig,
      node,
      "nsenter",
      "-t",
      pid,
      "-n",
      "tcpdump",
      "-i",
      "eth0",
      "-U",
      "-w",
      "-",
      `not port ${marker}`,
    ],
    LISTENING,
  );
  await capture.said;
  const seconds = (performance.now() - start) / 1000;
  spawnSync("ssh", ["-F", sshConfig, node, "pkill", "-f", `'not port ${marker}$'`]);
  await interrupt(capture);
  return seconds;
}

// Where NODE_EXTRA_CA_CERTS is set, Node reads it as each process starts (bench/lib/machine.ts):
// podcap is also timed without it, beside the headline figure, which stays as the user runs it.
const { NODE_EXTRA_CA_CERTS: extraCaCerts, ...withoutExtraCaCerts }: NodeJS.ProcessEnv = labEnv;
const podcapSamples: number[] = [];
const handSamples: number[] = [];
const withoutCaSamples: number[] = [];
await podcapRun(); // warms what a user's second run has warm: the code cache, the page cache
for (let round = 0; round < rounds; round += 1) {
  podcapSamples.push(await podcapRun());
  handSamples.push(await handRun(round));
  if (extraCaCerts !== undefined) withoutCaSamples.push(await podcapRun(withoutExtraCaCerts));
}
const figures: Record<string, Figure> = {};
if (extraCaCerts !== undefined)
  figures.withoutExtraCaCerts = {
    what: "podcap, NODE_EXTRA_CA_CERTS unset",
    value: median(withoutCaSamples),
    unit: "s",
    samples: withoutCaSamples,
  };

const handMedian = median(handSamples);
const result = recordResult({
  name: "time-to-first-packet",
  figure: { what: "podcap", value: median(podcapSamples), unit: "s", samples: podcapSamples },
  baseline: {
    what: "kubectl + ssh inspect + ssh tcpdump",
    value: handMedian,
    unit: "s",
    samples: handSamples,
  },
  target: { better: "lower", ratio: 0.5, text: "at most half the hand workflow's time" },
  parameters: { rounds, pod: pod.name, node: pod.node },
  figures,
  tools: {
    kubectl: ["kubectl", "version", "--client"],
    ssh: ["ssh", "-V"],
    tcpdump: ["tcpdump", "--version"],
  },
});
printRatio(result);
for (const { what, value } of Object.values(figures))
  console.log(`  ${what}: ${formatNumber(value)} s, ratio ${formatNumber(value / handMedian)}`);
