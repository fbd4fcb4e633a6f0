// Which of a capture's files `podcap fetch` downloads, and what to do with a local file of the
// same name. Pure: sizes in, decisions out.

import type { CaptureFile, CaptureInfo } from "./capture-listing.js";

export interface FetchPlan {
  files: CaptureFile[];
  /** The file tcpdump is still writing: a running capture's newest, left on the node. */
  skipped?: string;
}

/** A running capture's newest file is incomplete (tcpdump is writing it): only the others. */
export function fetchPlan(capture: CaptureInfo): FetchPlan {
  if (capture.current === undefined) return { files: capture.files };
  return { files: capture.files.filter((file) => file.name !== capture.current), skipped: capture.current };
}

export type LocalAction =
  | { kind: "download"; from: 0 }
  | { kind: "resume"; from: number }
  | { kind: "complete" }
  | { kind: "conflict"; localSize: number };

/**
 * A local file as long as the node's is taken as fetched; a shorter one is resumed at its end
 * (the caller checks that the bytes before it match); a longer one is another file: refused.
 */
export function localAction(localSize: number | undefined, remoteSize: number): LocalAction {
  if (localSize === undefined || localSize === 0) return { kind: "download", from: 0 };
  if (localSize === remoteSize) return { kind: "complete" };
  if (localSize < remoteSize) return { kind: "resume", from: localSize };
  return { kind: "conflict", localSize };
}
