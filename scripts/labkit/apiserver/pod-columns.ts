// The `kubectl get pods` columns, computed like kube-apiserver's printPod so STATUS and READY read
// the same as on a real node: a crash-looping container shows CrashLoopBackOff, not "Running".

import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import { ageOf } from "./human-duration.js";
import { ageColumn, nameColumn, type TableColumn } from "./table.js";

const none = "<none>";

export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

function containerReason(status: V1ContainerStatus): string | undefined {
  const { waiting, terminated } = status.state ?? {};
  if (waiting?.reason) return waiting.reason;
  if (terminated === undefined) return undefined;
  if (terminated.reason) return terminated.reason;
  return terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
}

/** STATUS: the pod's phase or reason, overridden by the most telling container state. */
export function podStatus(pod: V1Pod): string {
  let reason = pod.status?.reason ?? pod.status?.phase ?? "Unknown";
  let hasRunning = false;
  // Later containers win, as in printPod, which walks the statuses backwards.
  for (const status of [...(pod.status?.containerStatuses ?? [])].reverse()) {
    const containerSays = containerReason(status);
    if (containerSays !== undefined) reason = containerSays;
    else if (status.ready && status.state?.running) hasRunning = true;
  }
  if (reason === "Completed" && hasRunning) reason = isPodReady(pod) ? "Running" : "NotReady";
  if (pod.metadata?.deletionTimestamp) reason = pod.status?.reason === "NodeLost" ? "Unknown" : "Terminating";
  return reason;
}

export function podReady(pod: V1Pod): string {
  const total = pod.spec?.containers.length ?? 0;
  const ready = pod.status?.containerStatuses?.filter((status) => status.ready).length ?? 0;
  return `${ready}/${total}`;
}

/** RESTARTS: the count, and how long ago the last one was when a container has restarted. */
export function podRestarts(pod: V1Pod, now: Date): string {
  const statuses = pod.status?.containerStatuses ?? [];
  const restarts = statuses.reduce((sum, status) => sum + status.restartCount, 0);
  const lastRestart = statuses
    .map((status) => status.lastState?.terminated?.finishedAt)
    .filter((finished): finished is Date => finished !== undefined)
    .map((finished) => new Date(finished))
    .sort((a, b) => b.getTime() - a.getTime())[0];
  return restarts > 0 && lastRestart ? `${restarts} (${ageOf(lastRestart, now)} ago)` : String(restarts);
}

function readinessGates(pod: V1Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return none;
  const met = gates.filter((gate) =>
    pod.status?.conditions?.some((c) => c.type === gate.conditionType && c.status === "True"),
  );
  return `${met.length}/${gates.length}`;
}

export const podColumns: TableColumn<V1Pod>[] = [
  nameColumn(),
  {
    name: "Ready",
    type: "string",
    description: "The aggregate readiness state of this pod for accepting traffic.",
    cell: podReady,
  },
  {
    name: "Status",
    type: "string",
    description: "The aggregate status of the containers in this pod.",
    cell: podStatus,
  },
  {
    name: "Restarts",
    type: "string",
    description:
      "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
    cell: podRestarts,
  },
  ageColumn(),
  {
    name: "IP",
    type: "string",
    priority: 1,
    description: "IP address allocated to the pod.",
    cell: (pod) => pod.status?.podIP || none,
  },
  {
    name: "Node",
    type: "string",
    priority: 1,
    description: "Name of the Node the Pod is assigned to.",
    cell: (pod) => pod.spec?.nodeName || none,
  },
  {
    name: "Nominated Node",
    type: "string",
    priority: 1,
    description: "Name of the Node the Pod is nominated to.",
    cell: (pod) => pod.status?.nominatedNodeName || none,
  },
  {
    name: "Readiness Gates",
    type: "string",
    priority: 1,
    description: "Readiness gates of the pod.",
    cell: readinessGates,
  },
];
