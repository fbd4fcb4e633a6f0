// exec and bundle steps: `podcap exec POD -- CMD` and `podcap bundle POD` on each running pod of
// the target, through the netns branch's entry points. exec's stdout and stderr go to
// STEP/NS_POD.stdout and .stderr (a log per pod), a bundle to STEP/NS_POD/.

import { createWriteStream, readdirSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { finished } from "node:stream/promises";
import { safePart } from "../../capture/output-file-name.js";
import type { PodTarget } from "../../kube/pod-target.js";
import { collectBundle } from "../../netns/collect-bundle.js";
import { execInPod } from "../../netns/exec-in-pod.js";
import type { PodNetnsRequest } from "../../netns/pod-on-node.js";
import type { PlannedStep } from "../runbook-plan.js";
import { failureOf, type RunContext, type StepOutcome } from "../step-context.js";
import { eachPod, outcomeOfPods, podKey } from "./each-pod.js";

type ExecStep = Extract<PlannedStep, { kind: "exec" }>;
type BundleStep = Extract<PlannedStep, { kind: "bundle" }>;

/** NS_POD, from capture's safe file-name alphabet. */
const podFileName = (pod: PodTarget) => `${safePart(pod.namespace)}_${safePart(pod.name)}`;

function netnsRequest(context: RunContext, step: ExecStep | BundleStep, pod: PodTarget): PodNetnsRequest {
  const { flags } = context.plan;
  return {
    pod: pod.name,
    namespace: pod.namespace,
    context: flags.context,
    kubeconfig: flags.kubeconfig,
    container: step.target.flags.container,
    inventory: flags.inventory,
    insecureAcceptHostKey: flags.insecureAcceptHostKey,
    skipAccessCheck: flags.skipAccessCheck,
    debug: context.debug,
  };
}

export async function runExecStep(
  step: ExecStep,
  context: RunContext,
  say: (line: string) => void,
): Promise<StepOutcome> {
  const dir = join(context.dir, step.name);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { done, problems } = await eachPod(context, step.target, async (pod) => {
    const base = join(dir, podFileName(pod));
    const stdout = createWriteStream(`${base}.stdout`, { mode: 0o600 });
    const stderr = createWriteStream(`${base}.stderr`, { mode: 0o600 });
    let unsubscribe = () => {};
    let timer: NodeJS.Timeout | undefined;
    try {
      const code = await execInPod(
        { ...netnsRequest(context, step, pod), command: step.argv, limitSeconds: step.timeoutSeconds + 5 },
        {
          stdout,
          stderr,
          onRunning: (stop) => {
            say(`${podKey(pod)}: running`);
            timer = setTimeout(stop, step.timeoutSeconds * 1000);
            unsubscribe = context.stop.onStop(stop);
          },
        },
      );
      return { code, files: [`${base}.stdout`, `${base}.stderr`] };
    } finally {
      clearTimeout(timer);
      unsubscribe();
      stdout.end();
      stderr.end();
      await Promise.all([finished(stdout), finished(stderr)]);
    }
  });
  const ran = done.flatMap((d) => ("value" in d ? [{ pod: d.pod, ...d.value }] : []));
  const failures = [...problems, ...done.flatMap((d) => ("error" in d ? [d.error] : []))];
  const nonZero = ran.filter((r) => r.code !== 0);
  const outcome = outcomeOfPods(
    ran.length - nonZero.length,
    failures.length > 0
      ? failures
      : nonZero.map((r) => new Error(`${podKey(r.pod)}: the command exited ${r.code}`)),
  );
  return {
    ...outcome,
    exitCode: outcome.exitCode ?? nonZero[0]?.code ?? (outcome.status === "ok" ? 0 : undefined),
    files: ran.flatMap((r) => r.files.map((file) => relative(context.dir, file))),
    detail: {
      command: step.argv,
      pods: [
        ...ran.map((r) => ({ target: podKey(r.pod), node: r.pod.nodeName, exitCode: r.code })),
        ...done.flatMap((d) =>
          "error" in d
            ? [{ target: podKey(d.pod), node: d.pod.nodeName, error: failureOf(d.error).message }]
            : [],
        ),
      ],
    },
  };
}

export async function runBundleStep(
  step: BundleStep,
  context: RunContext,
  say: (line: string) => void,
): Promise<StepOutcome> {
  const dir = join(context.dir, step.name);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { done, problems } = await eachPod(context, step.target, (pod) =>
    collectBundle(netnsRequest(context, step, pod), join(dir, podFileName(pod)), {
      onStage: (stage, detail) => say(`${podKey(pod)}: ${stage} ${detail}`),
    }),
  );
  const bundles = done.flatMap((d) => ("value" in d ? [{ pod: d.pod, manifest: d.value }] : []));
  const failures = [...problems, ...done.flatMap((d) => ("error" in d ? [d.error] : []))];
  const files = bundles.flatMap(({ pod }) => {
    const sub = join(dir, podFileName(pod));
    return readdirSync(sub, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(context.dir, join(entry.parentPath, entry.name)));
  });
  return {
    ...outcomeOfPods(bundles.length, failures),
    files,
    detail: {
      bundles: bundles.map(({ pod, manifest }) => ({
        target: podKey(pod),
        node: pod.nodeName,
        directory: relative(context.dir, join(dir, podFileName(pod))),
        files: manifest.files.length,
        missingTools: manifest.missingTools,
        problem: manifest.problem,
      })),
      failed: done.flatMap((d) =>
        "error" in d ? [{ target: podKey(d.pod), error: failureOf(d.error).message }] : [],
      ),
    },
  };
}
