// Parses what the node-side scripts of node-captures.ts print into what `podcap ls`, `fetch`,
// `stop` and `clean` show. Pure: the node's output in, plain objects out.

import { parseCaptureId } from "./detached-capture-id.js";

export interface CaptureFile {
  name: string;
  size: number;
  /** Last modification, seconds since the epoch. */
  mtime: number;
}

/** What ls shows: running, or why it is not. */
export type CaptureState = "running" | "stopped" | "pod-gone" | "wrapper-gone" | "limit" | "failed";

export interface CaptureInfo {
  id: string;
  node: string;
  namespace?: string;
  pod?: string;
  container?: string;
  started?: Date;
  ended?: Date;
  state: CaptureState;
  /** The wrapper's own reason (stopped-by-user, pod-gone, limit, tcpdump-exited, wrapper-gone). */
  reason?: string;
  files: CaptureFile[];
  bytes: number;
  /** The file tcpdump is writing (the newest of a running capture): fetch leaves it. */
  current?: string;
  record: Record<string, string>;
}

const STATE_OF_REASON: Record<string, CaptureState> = {
  "stopped-by-user": "stopped",
  "pod-gone": "pod-gone",
  "wrapper-gone": "wrapper-gone",
  limit: "limit",
  "tcpdump-exited": "failed",
};

const epoch = (text: string | undefined) =>
  text !== undefined && /^\d+$/.test(text) ? new Date(Number(text) * 1000) : undefined;

function captureOf(
  id: string,
  node: string,
  record: Record<string, string>,
  alive: boolean,
  files: CaptureFile[],
) {
  const recorded = record.state;
  let state: CaptureState;
  if (recorded === "stopped") state = STATE_OF_REASON[record.reason ?? ""] ?? "stopped";
  else state = alive ? "running" : "wrapper-gone";
  const info: CaptureInfo = {
    id,
    node,
    state,
    files,
    bytes: files.reduce((sum, file) => sum + file.size, 0),
    record,
  };
  if (record.namespace) info.namespace = record.namespace;
  if (record.pod) info.pod = record.pod;
  if (record.container) info.container = record.container;
  const started = epoch(record.started_epoch);
  if (started) info.started = started;
  const ended = epoch(record.ended_epoch);
  if (ended) info.ended = ended;
  if (record.reason) info.reason = record.reason;
  if (state === "running" && files.length > 0) info.current = files.at(-1)?.name;
  return info;
}

function nodeOfId(id: string): string | undefined {
  try {
    return parseCaptureId(id).node;
  } catch {
    return undefined;
  }
}

/** The output of listCapturesArgv() from `node`. Lines it does not know are skipped. */
export function parseCaptureListing(output: string, node: string): CaptureInfo[] {
  const captures: CaptureInfo[] = [];
  let id: string | undefined;
  let record: Record<string, string> = {};
  let alive = false;
  let files: CaptureFile[] = [];
  for (const line of output.split("\n")) {
    const space = line.indexOf(" ");
    const tag = space < 0 ? line : line.slice(0, space);
    const rest = space < 0 ? "" : line.slice(space + 1);
    if (tag === "capture") {
      id = rest;
      record = {};
      alive = false;
      files = [];
      continue;
    }
    if (id === undefined) continue;
    if (tag === "record") {
      const at = rest.indexOf("=");
      if (at > 0) record[rest.slice(0, at)] = rest.slice(at + 1);
    } else if (tag === "alive") {
      alive = rest === "1";
    } else if (tag === "file") {
      const [size, mtime, name] = rest.split(" ");
      if (name && /^\d+$/.test(size ?? "") && /^\d+$/.test(mtime ?? ""))
        files.push({ name, size: Number(size), mtime: Number(mtime) });
    } else if (tag === "end") {
      // Nodes that share a disk (NFS, or the lab's nodes on one machine) see each other's
      // captures: each is listed by the node its ID names.
      if (nodeOfId(id) === node) captures.push(captureOf(id, node, record, alive, files));
      id = undefined;
    }
  }
  return captures;
}

export interface NodeSweep {
  deleted: string[];
  kept: string[];
  running: string[];
  /** Found with their wrapper gone and marked stopped. */
  marked: string[];
}

/** The output of cleanCapturesArgv() or stopCaptureArgv(). */
export function parseSweep(output: string): NodeSweep {
  const sweep: NodeSweep = { deleted: [], kept: [], running: [], marked: [] };
  for (const line of output.split("\n")) {
    const [tag, id] = line.split(" ");
    if (!id) continue;
    if (tag === "deleted" || tag === "kept" || tag === "running" || tag === "marked") sweep[tag].push(id);
  }
  return sweep;
}
