// A runbook's targets -> the running pods they mean now, through the kube API only (no SSH):
// for --dry-run, for the check before anything runs (a target that matches nothing stops the
// run there, pointed at its line), and for the steps that act pod by pod (detach, exec, bundle).

import { PodcapError, PodNotFound } from "../errors.js";
import type { Kube } from "../kube/kube-client.js";
import type { PodTarget } from "../kube/pod-target.js";
import { targetOf } from "../kube/resolve-pod.js";
import { resolveTargets } from "../kube/resolve-targets.js";
import type { PlannedTarget, RunPlan } from "./runbook-plan.js";

export interface TargetPods {
  pods: PodTarget[];
  /** Why what was named gave nothing, or a named pod is not capturable. */
  problems: PodcapError[];
}

export async function podsOf(kube: Kube, target: PlannedTarget): Promise<TargetPods> {
  const resolved = await resolveTargets(kube, {
    ...target.query,
    namespace: target.namespace ?? kube.namespace,
  });
  const problems = resolved.problems.map((problem) => problem.error);
  const pods: PodTarget[] = [];
  for (const found of resolved.pods) {
    try {
      pods.push(targetOf(found.pod, target.flags.container));
    } catch (error) {
      // A selector may pick a completed job's pod: left out, as capture leaves it out.
      if (found.named && error instanceof PodcapError) problems.push(error);
    }
  }
  if (pods.length === 0 && problems.length === 0)
    problems.push(
      new PodNotFound(
        `target ${target.name} matches no running pod`,
        "check with `kubectl get pods -o wide`",
      ),
    );
  return { pods, problems };
}

/** Every target a step uses, resolved once; the first that fails is refused at its line. */
export async function resolvePlanTargets(plan: RunPlan, kube: Kube): Promise<Map<string, PodTarget[]>> {
  const resolved = new Map<string, PodTarget[]>();
  for (const target of plan.targets.values()) {
    const { pods, problems } = await podsOf(kube, target);
    const [problem] = problems;
    if (problem) {
      const located = plan.refuse(["targets", target.name], problem.message, problem.hint, problem);
      throw new PodcapError(located.message, located.hint, problem.exitCode, { cause: problem });
    }
    resolved.set(target.name, pods);
  }
  return resolved;
}
