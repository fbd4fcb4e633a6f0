// The audit record of `podcap exec`, `shell` and `bundle`: entering a pod's network namespace
// from its node is as intrusive as capturing, so it leaves the same kind of line in the same
// logs (locally and on the node), with its own kind since there is no interface, filter or
// packet count. Only named fields are copied, as in audit-record.ts.

import type { AuditTarget, AuditWho } from "./audit-record.js";

export const NETNS_RECORD_KIND = "podcap.netns";

export type NetnsAction = "exec" | "shell" | "bundle";

export interface NetnsAuditInput {
  action: NetnsAction;
  who: AuditWho;
  target: AuditTarget;
  /** exec: the command as given; shell and bundle run podcap's own. */
  command?: readonly string[];
  startedAt: Date;
  endedAt: Date;
  /** The command's exit code (exec, shell); undefined when it never ran. */
  exitCode?: number;
  error?: string;
  podcapVersion: string;
}

export interface NetnsAuditRecord {
  kind: typeof NETNS_RECORD_KIND;
  podcapVersion: string;
  action: NetnsAction;
  who: AuditWho;
  what: { target: AuditTarget; command?: string[] };
  when: { start: string; end: string; durationSeconds: number };
  result: { status: "ran" | "failed"; exitCode?: number; error?: string };
}

export function buildNetnsAuditRecord(input: NetnsAuditInput): NetnsAuditRecord {
  const { who, target } = input;
  const ran = input.error === undefined;
  return {
    kind: NETNS_RECORD_KIND,
    podcapVersion: input.podcapVersion,
    action: input.action,
    who: {
      kubeUser: who.kubeUser,
      kubeContext: who.kubeContext,
      cluster: who.cluster,
      localUser: who.localUser,
      ...(who.sudoUser !== undefined ? { sudoUser: who.sudoUser } : {}),
      localHost: who.localHost,
    },
    what: {
      target: {
        namespace: target.namespace,
        pod: target.pod,
        ...(target.container !== undefined ? { container: target.container } : {}),
        ...(target.node !== undefined ? { node: target.node } : {}),
      },
      ...(input.command ? { command: [...input.command] } : {}),
    },
    when: {
      start: input.startedAt.toISOString(),
      end: input.endedAt.toISOString(),
      durationSeconds: Math.max(0, input.endedAt.getTime() - input.startedAt.getTime()) / 1000,
    },
    result: {
      status: ran ? "ran" : "failed",
      ...(input.exitCode !== undefined ? { exitCode: input.exitCode } : {}),
      ...(input.error !== undefined ? { error: input.error } : {}),
    },
  };
}
