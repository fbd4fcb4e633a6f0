// A fan-out run as one audit record: every target with its own counts or error, the totals of
// what was captured, and captured / partial / failed as the exit code tells it.

import type { ManyRequest, TargetResult } from "../capture/capture-many.js";
import type { StopReason } from "../capture/remote-capture.js";
import type { RunSummary } from "./capture-records.js";

export function auditSummary(
  results: TargetResult[],
  request: ManyRequest,
  startedAt: Date,
  stopReason?: StopReason,
): RunSummary {
  const captured = results.filter((t) => t.status === "captured");
  const failed = results.filter((t) => t.status === "failed");
  const total = (field: "packets" | "bytes") =>
    captured.reduce((sum, t) => sum + (t.outcome?.progress[field] ?? 0), 0);
  return {
    captureId: results.map((t) => t.started?.id).find(Boolean) ?? "",
    targets: results.map((t) => ({
      namespace: t.pod?.namespace ?? "",
      pod: t.pod?.name ?? t.key,
      container: t.pod?.container.name,
      node: t.pod?.nodeName,
      packets: t.outcome?.progress.packets,
      bytes: t.outcome?.progress.bytes,
      error: t.error?.message,
    })),
    iface: request.capture.iface,
    filter: request.capture.filter,
    startedAt,
    endedAt: new Date(),
    packets: total("packets"),
    bytes: total("bytes"),
    status: captured.length === 0 ? "failed" : failed.length > 0 ? "partial" : "captured",
    stopReason,
  };
}
