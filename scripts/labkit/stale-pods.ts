// What a killed session leaves of the lab's pods, swept so that `lab up` makes them afresh.

import { existsSync } from "node:fs";
import { LABEL, type LabContainer, labContainers } from "./containers.js";
import { deletePodLocked } from "./pods.js";
import { withPodsLock } from "./pods-lock.js";

/**
 * A pod whose sandbox or network namespace is gone, or whose containers stopped when they should
 * run: what a killed session leaves (its daemons die, their records stay in DATA_DIR and RUN_DIR).
 */
function isStale(containers: LabContainer[]): boolean {
  const labels = (containers[0] as LabContainer).labels;
  const netns = labels[LABEL.netns];
  if (netns && !existsSync(`/run/netns/${netns}`)) return true;
  if (containers.some((c) => c.sandbox && !c.running)) return true;
  return labels[LABEL.completes] !== "true" && containers.some((c) => !c.sandbox && !c.running);
}

/** Deletes every stale pod, so that `lab up` makes it afresh; returns their names. */
export const sweepStalePods = (): Promise<string[]> =>
  withPodsLock(async () => {
    const byPod = new Map<string, LabContainer[]>();
    for (const c of await labContainers()) {
      const key = `${c.labels[LABEL.podNamespace]}/${c.labels[LABEL.podName]}`;
      byPod.set(key, [...(byPod.get(key) ?? []), c]);
    }
    const stale = [...byPod].filter(([, containers]) => isStale(containers)).map(([key]) => key);
    for (const key of stale) {
      const [namespace, name] = key.split("/") as [string, string];
      await deletePodLocked(namespace, name);
    }
    return stale;
  });
