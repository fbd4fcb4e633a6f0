// The end of a fan-out capture as a person reads it (a line per pod, then the total) and as a
// script reads it (one object, with each target's own result).

import type { ManyResult, TargetResult } from "../capture/capture-many.js";
import { visibleText } from "../capture/printable.js";
import type { PodCaptureOptions } from "../capture/start-pod-capture.js";
import { humanBytes } from "./capture-summary.js";

const shown = (text: string) => visibleText(text, 4096);
const seconds = (from?: Date, to?: Date) => (from && to ? (to.getTime() - from.getTime()) / 1000 : 0);

function targetLine(t: TargetResult): string {
  if (t.status !== "captured" || !t.outcome) {
    const hint = t.error?.hint ? `\n  hint: ${shown(t.error.hint)}` : "";
    return `${shown(t.key)}: ${t.status}: ${shown(t.error?.message ?? "")}${hint}`;
  }
  const { progress, stats, reason } = t.outcome;
  const dropped = stats ? `, ${stats.droppedByKernel} dropped by kernel` : "";
  return `${shown(t.key)}: ${progress.packets} packets (stopped: ${reason}${dropped})`;
}

export interface ManyTotals {
  where: string;
  packets: number;
  bytes: number;
  startedAt: Date;
  endedAt: Date;
}

export function manySummaryLines(result: ManyResult, totals: ManyTotals): string[] {
  const captured = result.targets.filter((t) => t.status === "captured").length;
  const total =
    `${totals.packets} packets, ${humanBytes(totals.bytes)} from ${captured} of ${result.targets.length} targets ` +
    `in ${seconds(totals.startedAt, totals.endedAt).toFixed(1)} s -> ${shown(totals.where)} ` +
    `(stopped: ${result.stopReason ?? "every stream ended"})`;
  return [...result.targets.map(targetLine), total];
}

function targetJson(t: TargetResult, options: PodCaptureOptions) {
  const { pod, started, outcome, error } = t;
  return {
    target: t.key,
    status: t.status,
    pod: pod?.name ?? null,
    namespace: pod?.namespace ?? null,
    node: pod?.nodeName ?? null,
    podIP: pod?.podIP ?? null,
    container: pod?.container.name ?? null,
    containerID: pod ? `${pod.container.scheme}://${pod.container.id}` : null,
    runtime: started?.located.runtime ?? null,
    pid: started?.located.pid ?? null,
    interface: options.iface,
    packets: outcome?.progress.packets ?? 0,
    bytes: outcome?.progress.bytes ?? 0,
    stopReason: outcome?.reason ?? null,
    tcpdump: outcome?.stats ?? null,
    sshTarget: started ? `${started.target.user}@${started.target.host}:${started.target.port}` : null,
    error: error
      ? { type: error.name, message: error.message, hint: error.hint, exitCode: error.exitCode }
      : null,
  };
}

export function manySummaryJson(result: ManyResult, totals: ManyTotals, options: PodCaptureOptions) {
  return {
    file: totals.where,
    packets: totals.packets,
    bytes: totals.bytes,
    durationSeconds: Number(seconds(totals.startedAt, totals.endedAt).toFixed(3)),
    startedAt: totals.startedAt.toISOString(),
    endedAt: totals.endedAt.toISOString(),
    stopReason: result.stopReason ?? null,
    filter: options.filter,
    interface: options.iface,
    targets: result.targets.map((t) => targetJson(t, options)),
  };
}
