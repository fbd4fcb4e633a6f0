// The end of a capture as a person reads it (one line) and as a script reads it (one object).

import type { CaptureResult } from "../capture/capture-pod.js";
import { printableText } from "../capture/printable.js";

export function humanBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  // 999.95 and up would print as "1000.0": move to the next unit before rounding does.
  while (value >= 999.95 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

const seconds = (result: CaptureResult) => (result.endedAt.getTime() - result.startedAt.getTime()) / 1000;

// Names come from the API server and the path from the user: a line break or a terminal escape in
// them must show as text, or the one line becomes several (or rewrites the terminal).
const shown = (text: string) => printableText(text, 4096);

export function summaryLine(result: CaptureResult, where: string): string {
  const { outcome, pod } = result;
  const dropped = outcome.stats ? `, ${outcome.stats.droppedByKernel} dropped by kernel` : "";
  return (
    `${outcome.progress.packets} packets, ${humanBytes(outcome.progress.bytes)} from ${shown(`${pod.namespace}/${pod.name}`)} ` +
    `in ${seconds(result).toFixed(1)} s -> ${shown(where)} (stopped: ${outcome.reason}${dropped})`
  );
}

export function summaryJson(result: CaptureResult, where: string, filter: string, iface: string) {
  const { outcome, pod, target, located } = result;
  return {
    id: result.id,
    pod: pod.name,
    namespace: pod.namespace,
    node: pod.nodeName,
    podIP: pod.podIP,
    container: pod.container.name,
    containerID: `${pod.container.scheme}://${pod.container.id}`,
    runtime: located.runtime,
    pid: located.pid,
    interface: iface,
    filter,
    file: where,
    packets: outcome.progress.packets,
    bytes: outcome.progress.bytes,
    durationSeconds: Number(seconds(result).toFixed(3)),
    startedAt: result.startedAt.toISOString(),
    endedAt: result.endedAt.toISOString(),
    stopReason: outcome.reason,
    tcpdump: outcome.stats ?? null,
    sshTarget: `${target.user}@${target.host}:${target.port}`,
  };
}
