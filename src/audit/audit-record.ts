// The audit record of one capture: who (the kube user of the context and the person at this
// machine), what (targets, interface, filter), when, how much, and how it ended. One JSON object,
// one line. Only these named fields are copied: no capture byte, and nothing a caller happens to
// carry along, can reach a log.

import { PODCAP_VERSION } from "../version.js";

export const AUDIT_RECORD_KIND = "podcap.capture";

export type AuditStatus = "captured" | "partial" | "failed";

export interface AuditWho {
  kubeUser: string;
  kubeContext: string;
  /** The API server URL: which cluster. */
  cluster: string;
  localUser: string;
  /** The user who ran sudo to become localUser, when podcap runs under sudo. */
  sudoUser?: string;
  localHost: string;
}

export interface AuditTarget {
  namespace: string;
  pod: string;
  container?: string;
  node?: string;
  /** Per target, when many were captured at once. */
  packets?: number;
  bytes?: number;
  error?: string;
}

export interface AuditInput {
  captureId: string;
  who: AuditWho;
  targets: readonly AuditTarget[];
  iface: string;
  filter: string;
  startedAt: Date;
  endedAt: Date;
  packets: number;
  bytes: number;
  status: AuditStatus;
  /** interrupted, duration, count, max-size, target-gone, node-limit, connection-lost, ... */
  stopReason?: string;
  /** The error's one-line message, for a failed or partial capture. */
  error?: string;
  podcapVersion?: string;
}

/** What a log line holds: a capture's AuditRecord or another kind (exec, shell, bundle). */
export interface LoggedRecord {
  kind: string;
}

export interface AuditRecord {
  kind: typeof AUDIT_RECORD_KIND;
  podcapVersion: string;
  captureId: string;
  who: AuditWho;
  what: { targets: AuditTarget[]; interface: string; filter: string };
  when: { start: string; end: string; durationSeconds: number };
  result: { status: AuditStatus; stopReason?: string; packets: number; bytes: number; error?: string };
}

const count = (value: number) => (Number.isSafeInteger(value) && value >= 0 ? value : 0);

function auditTarget(target: AuditTarget): AuditTarget {
  return {
    namespace: target.namespace,
    pod: target.pod,
    ...(target.container !== undefined ? { container: target.container } : {}),
    ...(target.node !== undefined ? { node: target.node } : {}),
    ...(target.packets !== undefined ? { packets: count(target.packets) } : {}),
    ...(target.bytes !== undefined ? { bytes: count(target.bytes) } : {}),
    ...(target.error !== undefined ? { error: target.error } : {}),
  };
}

export function buildAuditRecord(input: AuditInput): AuditRecord {
  const { who } = input;
  const milliseconds = Math.max(0, input.endedAt.getTime() - input.startedAt.getTime());
  return {
    kind: AUDIT_RECORD_KIND,
    podcapVersion: input.podcapVersion ?? PODCAP_VERSION,
    captureId: input.captureId,
    who: {
      kubeUser: who.kubeUser,
      kubeContext: who.kubeContext,
      cluster: who.cluster,
      localUser: who.localUser,
      ...(who.sudoUser !== undefined ? { sudoUser: who.sudoUser } : {}),
      localHost: who.localHost,
    },
    what: { targets: input.targets.map(auditTarget), interface: input.iface, filter: input.filter },
    when: {
      start: input.startedAt.toISOString(),
      end: input.endedAt.toISOString(),
      durationSeconds: milliseconds / 1000,
    },
    result: {
      status: input.status,
      ...(input.stopReason !== undefined ? { stopReason: input.stopReason } : {}),
      packets: count(input.packets),
      bytes: count(input.bytes),
      ...(input.error !== undefined ? { error: input.error } : {}),
    },
  };
}

/**
 * The record as one line: JSON escapes newlines and control characters inside strings, so
 * whatever a filter or an error message holds, the record stays one line of one object.
 */
export function auditLine(record: LoggedRecord): string {
  return `${JSON.stringify(record)}\n`;
}
