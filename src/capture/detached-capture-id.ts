// The ID of a capture left running on a node: `<node>.<UTC stamp>-<6 hex>`, for example
// `node-a.20261201T194500Z-3fa9c1`. It names the node on purpose: `podcap fetch|stop ID` goes
// straight to that node instead of asking every node of the cluster, and the node's directory
// /var/lib/podcap/captures/<ID>/ says which node it was made on when files are copied around.
// Node names are DNS subdomains (dots allowed), so the node is everything before the last dot.

import { UsageError } from "../errors.js";
import { printable } from "./printable.js";
import { newCaptureId } from "./start-pod-capture.js";

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const NODE_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
const STAMP = "\\d{8}T\\d{6}Z-[0-9a-f]{6}";
const CAPTURE_ID = new RegExp(`^(${LABEL}(?:\\.${LABEL})*)\\.(${STAMP})$`);
const MAX_NODE_NAME = 253;

export interface CaptureIdParts {
  node: string;
  /** The part that makes it unique on that node. */
  stamp: string;
}

/** A new ID for a capture on `nodeName`; refuses a node name that is no DNS subdomain. */
export function newDetachedCaptureId(nodeName: string, now = new Date()): string {
  if (nodeName.length > MAX_NODE_NAME || !NODE_NAME.test(nodeName)) {
    throw new UsageError(
      `node name ${printable(nodeName)} cannot name a capture`,
      "Kubernetes node names are DNS subdomains: lowercase letters, digits, - and .",
    );
  }
  return `${nodeName}.${newCaptureId(now)}`;
}

/**
 * The user's ID, checked before anything runs: it becomes a directory name on the node, so
 * nothing that could leave that directory (`/`, `..`, NUL) or read as an option (`-x`) passes.
 */
export function parseCaptureId(text: string): CaptureIdParts {
  const match = text.length <= MAX_NODE_NAME + 24 ? CAPTURE_ID.exec(text) : null;
  if (!match) {
    throw new UsageError(
      `invalid capture ID ${printable(text, 80)}`,
      "use an ID as `podcap ls` prints it: NODE.YYYYMMDDTHHMMSSZ-XXXXXX, e.g. node-a.20261201T194500Z-3fa9c1",
    );
  }
  return { node: match[1] as string, stamp: match[2] as string };
}

export function assertCaptureId(text: string): string {
  parseCaptureId(text);
  return text;
}
