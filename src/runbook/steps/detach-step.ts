// A capture step with detach: true: `podcap capture POD --detach` for each running pod of its
// target (capture --detach takes one pod; a runbook may mean a workload's every replica). The
// IDs are kept for a later fetch step.

import type { DetachedStarted } from "../../capture/start-detached-capture.js";
import { podOptions } from "../../cli/pod-options.js";
import { detachPod } from "../../cli/run-detached-capture.js";
import type { PlannedStep } from "../runbook-plan.js";
import { failureOf, type RunContext, type StepOutcome } from "../step-context.js";
import { eachPod, outcomeOfPods, podKey } from "./each-pod.js";

type DetachStep = Extract<PlannedStep, { kind: "detach" }>;

export async function runDetachStep(
  step: DetachStep,
  context: RunContext,
  say: (line: string) => void,
): Promise<StepOutcome> {
  const { flags } = step;
  const { done, problems } = await eachPod(context, step.target, (pod) =>
    detachPod(
      { ...podOptions(pod.name, flags, pod.namespace), json: true, request: step.request },
      (stage, detail) => say(`${podKey(pod)}: ${stage} ${detail}`),
      context.debug,
    ),
  );
  const started = done.flatMap((d) => ("value" in d ? [d.value as DetachedStarted] : []));
  const failed = done.flatMap((d) => ("error" in d ? [d] : []));
  context.detached.set(
    step.name,
    started.map((s) => s.id),
  );
  const { rotation, limitSeconds } = step.request;
  return {
    ...outcomeOfPods(started.length, [...problems, ...failed.map((f) => f.error)]),
    files: [],
    detail: {
      captures: started.map((s) => ({
        id: s.id,
        namespace: s.pod.namespace,
        pod: s.pod.name,
        node: s.pod.nodeName,
        runtime: s.located.runtime,
        pid: s.located.pid,
        directory: s.dir,
      })),
      failed: failed.map((f) => ({
        target: podKey(f.pod),
        node: f.pod.nodeName,
        error: failureOf(f.error).message,
      })),
      rotateBytes: rotation.rotateBytes,
      rotateSeconds: rotation.rotateSeconds,
      keepFiles: rotation.keepFiles,
      limitSeconds,
    },
  };
}
