// The steps that act pod by pod (detach, exec, bundle): the target's running pods now, each
// through `work`, eight at a time; one pod's failure is its own, the others go on.

import { createLimiter } from "../../capture/concurrency.js";
import type { PodTarget } from "../../kube/pod-target.js";
import type { PlannedTarget } from "../runbook-plan.js";
import { podsOf } from "../runbook-targets.js";
import { failureOf, type RunContext, type StepOutcome, statusOf } from "../step-context.js";

const PODS_AT_ONCE = 8;

export type PodDone<T> = { pod: PodTarget; value: T } | { pod: PodTarget; error: unknown };

export async function eachPod<T>(
  context: RunContext,
  target: PlannedTarget,
  work: (pod: PodTarget) => Promise<T>,
): Promise<{ done: PodDone<T>[]; problems: unknown[] }> {
  const { pods, problems } = await podsOf(context.kube, target);
  const limit = createLimiter(PODS_AT_ONCE);
  const done = await Promise.all(
    pods.map((pod) =>
      limit(() =>
        work(pod).then(
          (value): PodDone<T> => ({ pod, value }),
          (error: unknown): PodDone<T> => ({ pod, error }),
        ),
      ),
    ),
  );
  return { done, problems };
}

/** The step's status, exit code and first error, from its pods' (and its target's) failures. */
export function outcomeOfPods(
  ok: number,
  failures: unknown[],
): Pick<StepOutcome, "status" | "exitCode" | "error"> {
  if (failures.length === 0) return { status: statusOf(ok, 0) };
  const { exitCode, ...error } = failureOf(failures[0]);
  return { status: statusOf(ok, failures.length), exitCode, error };
}

export const podKey = (pod: PodTarget) => `${pod.namespace}/${pod.name}`;
