// `podcap ls` output: a kubectl-like table on stdout, or one JSON object for scripts. Pure.

import type { CaptureInfo } from "../capture/capture-listing.js";
import { printableText } from "../capture/printable.js";
import { humanBytes } from "./capture-summary.js";

const STATE_TEXT: Record<CaptureInfo["state"], string> = {
  running: "running",
  stopped: "stopped",
  "pod-gone": "pod gone",
  "wrapper-gone": "wrapper gone",
  limit: "limit reached",
  failed: "tcpdump failed",
};

/** 3d4h, 2h5m, 4m10s, 12s: the two largest units, like kubectl's AGE. */
export function shortDuration(ms: number): string {
  let seconds = Math.max(0, Math.floor(ms / 1000));
  const parts: string[] = [];
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3_600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    const amount = Math.floor(seconds / size);
    seconds -= amount * size;
    if (amount > 0 || (unit === "s" && parts.length === 0)) parts.push(`${amount}${unit}`);
  }
  return parts.slice(0, 2).join("");
}

/** How long it ran: until now while running, else until it ended. */
export const ranFor = (capture: CaptureInfo, now: Date) =>
  capture.started ? (capture.ended ?? now).getTime() - capture.started.getTime() : undefined;

export function capturesTable(captures: CaptureInfo[], now = new Date()): string {
  const header = ["ID", "POD", "NODE", "STARTED", "RAN FOR", "FILES", "BYTES", "STATE"];
  const rows = captures.map((c) => {
    const ran = ranFor(c, now);
    return [
      c.id,
      c.pod ? `${c.namespace ?? "?"}/${c.pod}` : "?",
      c.node,
      c.started ? c.started.toISOString().replace(/\.\d+Z$/, "Z") : "?",
      ran === undefined ? "?" : shortDuration(ran),
      String(c.files.length),
      humanBytes(c.bytes),
      STATE_TEXT[c.state],
    ].map((cell) => printableText(cell, 300)); // record values come from the node
  });
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => (row[i] ?? "").length)));
  return [header, ...rows]
    .map((row) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  "),
    )
    .join("\n");
}

export function capturesJson(captures: CaptureInfo[], now = new Date()) {
  return captures.map((c) => ({
    id: c.id,
    namespace: c.namespace,
    pod: c.pod,
    container: c.container,
    node: c.node,
    started: c.started?.toISOString(),
    ended: c.ended?.toISOString(),
    ranForSeconds: (() => {
      const ran = ranFor(c, now);
      return ran === undefined ? undefined : Math.floor(ran / 1000);
    })(),
    state: c.state,
    reason: c.reason,
    files: c.files.map((f) => ({ name: f.name, bytes: f.size, writing: f.name === c.current })),
    bytes: c.bytes,
  }));
}
