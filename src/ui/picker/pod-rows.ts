// Pods as `kubectl get pods -o wide` shows them (name, ready, status, restarts, age, IP, node),
// and whether podcap can capture each one, with the reason when it cannot. Pure.

import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";

export interface PodRow {
  name: string;
  ready: string;
  status: string;
  restarts: number;
  age: string;
  ip: string;
  node: string;
  /** Why this pod cannot be captured; undefined when it can. */
  unavailable?: string;
}

export function podRow(pod: V1Pod, now: Date): PodRow {
  const statuses = pod.status?.containerStatuses ?? [];
  const created = pod.metadata?.creationTimestamp;
  return {
    name: pod.metadata?.name ?? "",
    ready: `${statuses.filter((s) => s.ready).length}/${pod.spec?.containers?.length ?? statuses.length}`,
    status: kubectlStatus(pod),
    restarts: statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0),
    age: created ? humanAge(now.getTime() - new Date(created).getTime()) : "<unknown>",
    ip: pod.status?.podIP ?? "<none>",
    node: pod.spec?.nodeName ?? "<none>",
    unavailable: whyNotCapturable(pod),
  };
}

/** kubectl's STATUS column: Terminating, else a container's waiting or terminated reason, else the phase. */
export function kubectlStatus(pod: V1Pod): string {
  if (pod.metadata?.deletionTimestamp) return "Terminating";
  const statuses = pod.status?.containerStatuses ?? [];
  const stuck = statuses.find((s) => s.state?.waiting?.reason)?.state?.waiting?.reason;
  if (stuck) return stuck;
  if (pod.status?.phase !== "Running") {
    const ended = statuses.find((s) => s.state?.terminated?.reason)?.state?.terminated?.reason;
    if (ended) return ended;
  }
  return pod.status?.reason ?? pod.status?.phase ?? "Unknown";
}

export function whyNotCapturable(pod: V1Pod): string | undefined {
  if (!pod.spec?.nodeName) return "not scheduled on a node";
  if (pod.status?.phase !== "Running") return `${kubectlStatus(pod)}: not running`;
  if (!(pod.status?.containerStatuses ?? []).some(isCapturable)) return "no container is running";
  return undefined;
}

/** A container whose process podcap can find: running, with an ID the runtime knows. */
export const isCapturable = (status: V1ContainerStatus) =>
  Boolean(status.state?.running && status.containerID);

/** kubectl's AGE column (k8s.io/apimachinery duration.HumanDuration). */
export function humanAge(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  const years = Math.floor(days / 365);
  if (seconds < 120) return `${seconds}s`;
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (hours < 3) return `${minutes}m`;
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (days < 365 * 2) return `${days}d`;
  if (years < 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}
