// `podcap ls`, `stop` and `clean`: the detached captures on the nodes, through one session per
// node (8 nodes at a time). ls and clean ask every node of the cluster unless --node names one: a
// capture whose pod is gone has no pod left to point at its node. stop goes to the node its ID names.

import { type CaptureInfo, parseCaptureListing, parseSweep } from "../capture/capture-listing.js";
import { createLimiter } from "../capture/concurrency.js";
import { parseCaptureId } from "../capture/detached-capture-id.js";
import { DetachedExit } from "../capture/detached-wrapper.js";
import { cleanCapturesArgv, listCapturesArgv, stopCaptureArgv } from "../capture/node-captures.js";
import { CaptureFailed, CaptureNotFound, ExitCode, isPodcapError, type PodcapError } from "../errors.js";
import { connectKube, type Kube, type KubeOptions } from "../kube/kube-client.js";
import { assertSelector } from "../kube/label-selector.js";
import type { NodeSession } from "../ssh/node-session.js";
import { capturesJson, capturesTable } from "../ui/captures-table.js";
import { clusterNodes, type NodeReachOptions, onNode } from "./node-reach.js";

export interface CapturesInvocation extends KubeOptions, NodeReachOptions {
  node?: string;
  json: boolean;
}

const NODE_PARALLELISM = 8;

/** Runs `work` on each node; a node that fails is reported, the others go on. */
async function onNodes<T>(
  kube: Kube,
  nodes: string[],
  options: NodeReachOptions,
  work: (s: NodeSession, node: string) => Promise<T>,
) {
  const limit = createLimiter(NODE_PARALLELISM);
  const results = await Promise.all(
    nodes.map((node) =>
      limit(() =>
        onNode(kube, node, options, (session) => work(session, node)).then(
          (value) => ({ node, value }),
          (error: unknown) => ({ node, error: asPodcapError(error) }),
        ),
      ),
    ),
  );
  const failed = results.filter((r): r is { node: string; error: PodcapError } => "error" in r);
  for (const { node, error } of failed)
    process.stderr.write(`podcap: ${node}: ${error.message}\n  hint: ${error.hint}\n`);
  return {
    results: results.filter((r): r is { node: string; value: T } => "value" in r),
    failed: failed.length,
  };
}

const asPodcapError = (error: unknown): PodcapError =>
  isPodcapError(error)
    ? error
    : new CaptureFailed(String((error as Error)?.message ?? error), "run again with --debug");

async function checked(session: NodeSession, argv: string[]) {
  const result = await session.exec(argv, { sudo: true, timeoutMs: 60_000 });
  const stdout = result.stdout.toString("utf8");
  if (result.code !== 0 && result.code !== DetachedExit.notFound)
    throw new CaptureFailed(
      `the node answered ${result.code}: ${result.stderr.toString("utf8").trim().split("\n").at(-1) ?? ""}`,
      "run again with --debug",
    );
  return { code: result.code, stdout };
}

/** The captures of one ID's node, that ID only. */
export async function captureOnNode(session: NodeSession, id: string): Promise<CaptureInfo> {
  const { node } = parseCaptureId(id);
  const found = parseCaptureListing((await checked(session, listCapturesArgv(id))).stdout, node)[0];
  if (!found)
    throw new CaptureNotFound(
      `no capture ${id} on node ${node}`,
      `list the captures with \`podcap ls --node ${node}\``,
    );
  return found;
}

export interface LsInvocation extends CapturesInvocation {
  allNamespaces: boolean;
  selector?: string;
}

export async function runLs(invocation: LsInvocation): Promise<number> {
  const kube = connectKube(invocation);
  const nodes = invocation.node ? [invocation.node] : await clusterNodes(kube);
  const selected = invocation.selector === undefined ? undefined : await podsSelected(kube, invocation);
  const { results, failed } = await onNodes(kube, nodes, invocation, async (session, node) =>
    parseCaptureListing((await checked(session, listCapturesArgv())).stdout, node),
  );
  const captures = results
    .flatMap((r) => r.value)
    .filter((c) => invocation.allNamespaces || c.namespace === kube.namespace)
    .filter((c) => selected === undefined || selected.has(`${c.namespace}/${c.pod}`))
    .sort((a, b) => (a.started?.getTime() ?? 0) - (b.started?.getTime() ?? 0));
  if (invocation.json) process.stdout.write(`${JSON.stringify({ captures: capturesJson(captures) })}\n`);
  else if (captures.length === 0) process.stderr.write("podcap: no captures found\n");
  else process.stdout.write(`${capturesTable(captures)}\n`);
  return failed === 0 ? ExitCode.ok : ExitCode.partial;
}

/** -l: the pods it selects now, as namespace/name (a capture of a deleted pod no longer matches). */
async function podsSelected(kube: Kube, invocation: LsInvocation): Promise<Set<string>> {
  const labelSelector = assertSelector(invocation.selector as string);
  const list = invocation.allNamespaces
    ? await kube.core.listPodForAllNamespaces({ labelSelector })
    : await kube.core.listNamespacedPod({ namespace: kube.namespace, labelSelector });
  return new Set(list.items.map((pod) => `${pod.metadata?.namespace}/${pod.metadata?.name}`));
}

/** Stops one detached capture on the node its ID names; shared by `podcap stop` and runbooks. */
export async function stopDetached(id: string, remove: boolean, invocation: CapturesInvocation) {
  const { node } = parseCaptureId(id);
  const kube = connectKube(invocation);
  const output = await onNode(kube, node, invocation, async (session) => {
    const result = await checked(session, stopCaptureArgv(id, remove));
    if (result.code === DetachedExit.notFound)
      throw new CaptureNotFound(
        `no capture ${id} on node ${node}`,
        `list the captures with \`podcap ls --node ${node}\``,
      );
    return result.stdout;
  });
  const reason = /^stopped \S+ (\S+)$/m.exec(output)?.[1] ?? "unknown";
  return { id, node, reason, deleted: parseSweep(output).deleted.includes(id) };
}

export async function runStop(id: string, remove: boolean, invocation: CapturesInvocation): Promise<number> {
  const { node, reason, deleted } = await stopDetached(id, remove, invocation);
  if (invocation.json) process.stdout.write(`${JSON.stringify({ id, node, reason, deleted })}\n`);
  else
    process.stderr.write(
      `podcap: ${id} stopped (${reason})${deleted ? "; its files are deleted from the node" : ""}\n`,
    );
  return ExitCode.ok;
}

export interface CleanInvocation extends CapturesInvocation {
  all: boolean;
  olderThanSeconds: number;
}

export async function runClean(invocation: CleanInvocation): Promise<number> {
  const kube = connectKube(invocation);
  const nodes = invocation.node ? [invocation.node] : await clusterNodes(kube);
  const { results, failed } = await onNodes(kube, nodes, invocation, async (session) =>
    parseSweep(
      (await checked(session, cleanCapturesArgv(invocation.olderThanSeconds, invocation.all))).stdout,
    ),
  );
  if (invocation.json)
    process.stdout.write(
      `${JSON.stringify({ nodes: results.map((r) => ({ node: r.node, ...r.value })) })}\n`,
    );
  for (const { node, value } of invocation.json ? [] : results)
    process.stderr.write(
      `podcap: ${node}: ${value.deleted.length} deleted, ${value.kept.length} stopped kept, ${value.running.length} running` +
        `${value.marked.length > 0 ? `, ${value.marked.length} found with their wrapper gone` : ""}\n`,
    );
  return failed === 0 ? ExitCode.ok : ExitCode.partial;
}
