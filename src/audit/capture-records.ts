// What every capture run owes the cluster and its admins, in one place for the one-pod and the
// many-pod paths: the access review before any SSH, a Kubernetes Event on each pod when its
// capture starts and stops, and one audit line at the end, here and on each node it touched.
// Events and audit lines never fail a capture: what could not be written is said on --debug.

import type { CaptureOutcome } from "../capture/remote-capture.js";
import type { CaptureStarted } from "../capture/start-pod-capture.js";
import type { AccessDenied } from "../errors.js";
import type { Inventory } from "../inventory/inventory-load.js";
import { accessDenied, reviewCaptureAccess } from "../kube/access-check.js";
import { accessCheckPlan } from "../kube/access-requirement.js";
import { captureEventsEnabled, recordCaptureStarted, recordCaptureStopped } from "../kube/capture-events.js";
import type { Kube } from "../kube/kube-client.js";
import { PODCAP_VERSION } from "../version.js";
import { auditPaths } from "./audit-paths.js";
import { type AuditInput, buildAuditRecord } from "./audit-record.js";
import { appendLocalAudit } from "./local-audit-log.js";
import { auditWho } from "./local-identity.js";
import { type AuditExec, appendNodeAudit } from "./node-audit-log.js";

/** One run as the audit sees it; who and the version are filled in here. */
export type RunSummary = Omit<AuditInput, "who" | "podcapVersion">;

export interface CaptureRecords {
  /** Namespace -> why capturing there is refused; empty when every namespace is allowed. */
  refusals(namespaces: readonly string[]): Promise<Map<string, AccessDenied>>;
  started(started: Omit<CaptureStarted, "vantage">, iface: string, filter: string): void;
  stopped(
    started: Omit<CaptureStarted, "vantage">,
    outcome: CaptureOutcome,
    startedAt: Date,
    endedAt: Date,
  ): void;
  /** Writes the audit lines (local, then each node through its exec) and waits for the Events. */
  finish(run: RunSummary, nodes: ReadonlyMap<string, AuditExec>): Promise<void>;
}

export function captureRecords(options: {
  kube: Kube;
  inventory: Inventory;
  skipAccessCheck: boolean;
  debug?: (line: string) => void;
}): CaptureRecords {
  const { kube, inventory, debug } = options;
  const required = accessCheckPlan(inventory, options.skipAccessCheck);
  const events = captureEventsEnabled(inventory);
  const pending: Promise<void>[] = [];
  const note = (work: Promise<Error | undefined>) =>
    pending.push(work.then((error) => error && debug?.(`warning: ${error.message}`)));
  const eventPod = ({ pod }: Pick<CaptureStarted, "pod">) => ({
    namespace: pod.namespace,
    name: pod.name,
    uid: pod.uid,
    container: pod.container.name,
  });
  return {
    async refusals(namespaces) {
      if (!required) return new Map();
      const answers = await reviewCaptureAccess(kube, namespaces, required);
      const refused = [...answers].filter(([, allowed]) => !allowed).map(([namespace]) => namespace);
      return new Map(refused.map((namespace) => [namespace, accessDenied(kube, [namespace], required)]));
    },
    started(started, iface, filter) {
      if (!events) return;
      const facts = { captureId: started.id, user: kube.user, iface, filter, node: started.pod.nodeName };
      note(recordCaptureStarted(kube, eventPod(started), facts));
    },
    stopped(started, outcome, startedAt, endedAt) {
      if (!events) return;
      note(
        recordCaptureStopped(kube, eventPod(started), {
          captureId: started.id,
          node: started.pod.nodeName,
          packets: outcome.progress.packets,
          bytes: outcome.progress.bytes,
          durationSeconds: (endedAt.getTime() - startedAt.getTime()) / 1000,
          reason: outcome.reason,
        }),
      );
    },
    async finish(run, nodes) {
      const record = buildAuditRecord({ ...run, who: auditWho(kube), podcapVersion: PODCAP_VERSION });
      const paths = auditPaths(inventory);
      note(appendLocalAudit(record, paths.local));
      for (const [node, exec] of nodes) note(appendNodeAudit(exec, record, paths.node, node));
      await Promise.all(pending);
    },
  };
}
