// The sequence exec, shell and bundle share: resolve the pod -> review access -> reach its node
// -> locate the container's PID, then the caller's work on that session, then one audit line
// (here and on the node) and the session closed on every path. Every refusal that can happen
// without the node (bad kubeconfig, unknown or not-running pod, RBAC) happens before any SSH.

import type { V1Pod } from "@kubernetes/client-node";
import { auditPaths } from "../audit/audit-paths.js";
import { appendLocalAudit } from "../audit/local-audit-log.js";
import { auditWho } from "../audit/local-identity.js";
import { buildNetnsAuditRecord, type NetnsAction } from "../audit/netns-record.js";
import { appendNodeAudit } from "../audit/node-audit-log.js";
import { type Inventory, loadInventory, locateInventory } from "../inventory/inventory-load.js";
import type { SshTarget } from "../inventory/ssh-target.js";
import { checkCaptureAccess } from "../kube/access-check.js";
import { accessCheckPlan } from "../kube/access-requirement.js";
import { connectKube, type Kube, type KubeOptions } from "../kube/kube-client.js";
import type { PodTarget } from "../kube/pod-target.js";
import { resolvePod } from "../kube/resolve-pod.js";
import { type Located, locateContainer } from "../runtime/locate.js";
import type { NodeSession } from "../ssh/node-session.js";
import { reachNode } from "../ssh/reach-node.js";
import { PODCAP_VERSION } from "../version.js";

/** What every command that enters a pod's network namespace takes: the CLI's flags, by name. */
export interface PodNetnsRequest extends KubeOptions {
  pod: string;
  container?: string;
  /** `--inventory`; else PODCAP_INVENTORY, else ~/.config/podcap/inventory.yaml. */
  inventory?: string;
  insecureAcceptHostKey?: boolean;
  skipAccessCheck?: boolean;
  /** Where --debug lines go. */
  debug?: (line: string) => void;
}

export interface PodOnNode {
  kube: Kube;
  inventory: Inventory;
  pod: PodTarget;
  /** The pod as the API served it (spec and status). */
  podObject: V1Pod;
  target: SshTarget;
  session: NodeSession;
  located: Located;
}

export interface PodNodeHooks {
  onStage?(stage: "resolve" | "reach" | "locate", detail: string): void;
  /**
   * Called once the node is reached, before the runtime is asked: what starts here overlaps the
   * runtime lookup (the node's login shell is often the slowest part of an exec).
   */
  onReached?(session: NodeSession, target: SshTarget): void;
}

export interface NodeWork<T> {
  action: NetnsAction;
  /** For the audit line (exec's command). */
  command?: readonly string[];
  run(node: PodOnNode): Promise<T>;
  /** The exit code to record for a result. */
  exitCodeOf?(result: T): number | undefined;
}

export async function withPodOnNode<T>(
  request: PodNetnsRequest,
  work: NodeWork<T>,
  hooks: PodNodeHooks = {},
): Promise<T> {
  const { debug } = request;
  hooks.onStage?.("resolve", request.pod);
  const kube = connectKube(request);
  const inventory = await loadInventory(locateInventory(request.inventory));
  const required = accessCheckPlan(inventory, request.skipAccessCheck ?? false);
  const resolved = await resolvePod(kube, request.pod, request.namespace, request.container);
  const pod = resolved.target;
  const startedAt = new Date();
  let session: NodeSession | undefined;
  const audit = async (exitCode: number | undefined, error?: Error) => {
    const record = buildNetnsAuditRecord({
      action: work.action,
      who: auditWho(kube),
      target: { namespace: pod.namespace, pod: pod.name, container: pod.container.name, node: pod.nodeName },
      command: work.command,
      startedAt,
      endedAt: new Date(),
      exitCode,
      error: error?.message,
      podcapVersion: PODCAP_VERSION,
    });
    const paths = auditPaths(inventory);
    const problems = await Promise.all([
      appendLocalAudit(record, paths.local),
      session && !session.isClosed
        ? appendNodeAudit(session.exec.bind(session), record, paths.node, pod.nodeName)
        : undefined,
    ]);
    for (const problem of problems) if (problem) debug?.(`warning: ${problem.message}`);
  };
  try {
    if (required) await checkCaptureAccess(kube, [pod.namespace], required);
    hooks.onStage?.("reach", pod.nodeName);
    const reached = await reachNode(pod.nodeName, resolved.nodeAddresses, {
      inventory,
      insecureAcceptHostKey: request.insecureAcceptHostKey,
      debug,
    });
    session = reached.connection;
    hooks.onReached?.(session, reached.target);
    hooks.onStage?.("locate", `${pod.container.scheme}://${pod.container.id.slice(0, 12)}`);
    const located = await locateContainer(
      (argv, options) => (session as NodeSession).exec(argv, options),
      reached.target,
      pod.container,
    );
    debug?.(`${pod.namespace}/${pod.name}: ${located.runtime} pid ${located.pid} on ${pod.nodeName}`);
    const node: PodOnNode = {
      kube,
      inventory,
      pod,
      podObject: resolved.pod,
      target: reached.target,
      session,
      located,
    };
    const result = await work.run(node);
    await audit(work.exitCodeOf?.(result));
    return result;
  } catch (error) {
    await audit(undefined, error as Error);
    throw error;
  } finally {
    await session?.close();
  }
}
