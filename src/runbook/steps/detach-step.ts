// A capture step with detach: true: `podcap capture POD --detach` for each running pod of its
// target (capture --detach takes one pod; a runbook may mean a workload's every replica). The
// IDs are kept for a later fetch step.

import { createLimiter } from "../../capture/concurrency.js";
import { detachPod } from "../../cli/run-detached-capture.js";
import type { PlannedStep } from "../runbook-plan.js";
import { podsOf } from "../runbook-targets.js";
import { failureOf, type RunContext, type StepOutcome, statusOf } from "../step-context.js";

type DetachStep = Extract<PlannedStep, { kind: "detach" }>;

const PODS_AT_ONCE = 8;

export async function runDetachStep(
  step: DetachStep,
  context: RunContext,
  say: (line: string) => void,
): Promise<StepOutcome> {
  const { pods, problems } = await podsOf(context.kube, step.target);
  const limit = createLimiter(PODS_AT_ONCE);
  const { flags } = step;
  const results = await Promise.all(
    pods.map((pod) =>
      limit(() =>
        detachPod(
          {
            pod: pod.name,
            namespace: pod.namespace,
            context: flags.context,
            kubeconfig: flags.kubeconfig,
            container: flags.container,
            inventory: flags.inventory,
            insecureAcceptHostKey: flags.insecureAcceptHostKey ?? false,
            skipAccessCheck: flags.skipAccessCheck ?? false,
            json: true,
            request: step.request,
          },
          (stage, detail) => say(`${pod.namespace}/${pod.name}: ${stage} ${detail}`),
          context.debug,
        ).then(
          (started) => ({ started }),
          (error: unknown) => ({ pod, error }),
        ),
      ),
    ),
  );
  const started = results.flatMap((r) => ("started" in r ? [r.started] : []));
  const failed = results.flatMap((r) => ("error" in r ? [r] : []));
  context.detached.set(
    step.name,
    started.map((s) => s.id),
  );
  const errors = [...problems, ...failed.map((f) => f.error)];
  const { exitCode, ...error } = errors.length > 0 ? failureOf(errors[0]) : { exitCode: undefined };
  const { rotation, limitSeconds } = step.request;
  return {
    status: statusOf(started.length, errors.length),
    exitCode,
    files: [],
    error: "message" in error ? error : undefined,
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
        namespace: f.pod.namespace,
        pod: f.pod.name,
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
