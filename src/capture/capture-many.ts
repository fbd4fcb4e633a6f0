// Many pods at once: resolve every target, reach each node once, and start every pod's capture
// over that node's one connection, nodes and pods in parallel within a bound. A target that
// fails is reported and the others go on. With --follow, pods that start matching join, and a
// pod whose container restarted is captured again from its new process.

import type { V1Pod } from "@kubernetes/client-node";
import type { CaptureRecords } from "../audit/capture-records.js";
import { auditSummary } from "../audit/many-run-summary.js";
import type { AuditExec } from "../audit/node-audit-log.js";
import type { Sink } from "../deliver/sinks.js";
import { type AccessDenied, isPodcapError, type PodcapError, PodNotRunning } from "../errors.js";
import { connectKube, type Kube, type KubeOptions, kubeError } from "../kube/kube-client.js";
import { assertNamespace } from "../kube/pod-ref.js";
import type { ContainerRef, PodTarget } from "../kube/pod-target.js";
import { nodeAddresses, targetOf } from "../kube/resolve-pod.js";
import { type FoundPod, resolveTargets, type TargetQuery } from "../kube/resolve-targets.js";
import { watchPods } from "../kube/watch-pods.js";
import type { RemoteExec } from "../runtime/locate.js";
import { SharedInspect } from "../runtime/shared-inspect.js";
import { createLimiter } from "./concurrency.js";
import type { CaptureOutcome, RemoteCapture, StopReason } from "./remote-capture.js";
import {
  type CaptureStarted,
  type NodeConnection,
  type PodCaptureOptions,
  type ReachedNode,
  type ReachNode,
  startPodCapture,
  tcpdumpArgvFor,
} from "./start-pod-capture.js";
import { sharedBufferKiB } from "./tcpdump-args.js";
import { type VantagePoint, vantageLabel } from "./vantage.js";

export interface ManyRequest extends KubeOptions {
  query: Omit<TargetQuery, "namespace">;
  container?: string;
  capture: PodCaptureOptions;
  /** Each pod is captured at each of these, one stream apiece (default: inside the pod). */
  where?: VantagePoint[];
  follow: boolean;
  /** Nodes connected to at once. */
  nodeConcurrency?: number;
}

export type TargetState =
  | "connecting"
  | "locating"
  | "starting"
  | "listening"
  | "ended"
  | "failed"
  | "skipped";

export interface TargetResult {
  /** namespace/pod (namespace/pod@vantage with several), or what the user named when it resolved to nothing. */
  key: string;
  vantage?: VantagePoint;
  status: "captured" | "failed" | "skipped";
  pod?: PodTarget;
  started?: CaptureStarted;
  outcome?: CaptureOutcome;
  error?: PodcapError;
  startedAt?: Date;
  endedAt?: Date;
}

export interface ManyHooks {
  reach: ReachNode;
  /** Where one pod's pcap goes: a stream of the merged file, or a file of its own. */
  openSink(started: CaptureStarted): Sink;
  /** The pods found at the start, before any node is reached. */
  onResolved?(keys: string[]): void;
  onTarget?(key: string, state: TargetState, detail: string): void;
  onProgress?(): void;
  /** Called once the first targets are settled; lets the caller stop everything. */
  onRunning?(stop: (reason: StopReason) => void, abort: () => void): void;
  /** Access review, Events and audit (made from the same kubeconfig). */
  records?(kube: Kube): CaptureRecords;
}

const RECHECK_DELAYS_MS = [500, 1000, 2000, 4000];
const podKey = (pod: { metadata?: { namespace?: string; name?: string } }) =>
  `${pod.metadata?.namespace}/${pod.metadata?.name}`;
/** One stream's key: the pod, and the vantage point when there are several. */
const streamKey = (pod: V1Pod, point: VantagePoint, several: boolean) =>
  several ? `${podKey(pod)}@${vantageLabel(point)}` : podKey(pod);

export interface ManyResult {
  targets: TargetResult[];
  /** Why the run was stopped; undefined when every stream ended by itself. */
  stopReason?: StopReason;
}

export async function captureMany(request: ManyRequest, hooks: ManyHooks): Promise<ManyResult> {
  tcpdumpArgvFor(request.capture); // refuses a bad -i, -s or --count before anything is sent anywhere
  const kube = connectKube(request);
  const namespace = assertNamespace(request.namespace ?? kube.namespace);
  const records = hooks.records?.(kube);
  const resolved = await resolveTargets(kube, { ...request.query, namespace });
  const reviews = new Map<string, Promise<AccessDenied | undefined>>();
  /** Why this namespace is refused, asked once per namespace (pods may join from new ones). */
  const refusalIn = (ns: string) => {
    let review = reviews.get(ns);
    if (!review) {
      review = records
        ? records.refusals([ns]).then((refused) => refused.get(ns))
        : Promise.resolve(undefined);
      reviews.set(ns, review);
    }
    return review;
  };
  const startedAt = new Date();
  const where = request.where ?? [
    request.capture.vantage ?? { vantage: "pod", iface: request.capture.iface },
  ];
  const keyOf = (pod: V1Pod, point: VantagePoint) => streamKey(pod, point, where.length > 1);
  const results: TargetResult[] = resolved.problems.map((p) => ({
    key: p.target,
    status: "failed",
    error: p.error,
  }));
  const report = (key: string, state: TargetState, detail: string) => hooks.onTarget?.(key, state, detail);
  const nodes = new Map<string, Promise<ReachedNode>>();
  const nodeLimit = createLimiter(request.nodeConcurrency ?? 8);
  /** Pods being captured (or about to be): one stream per pod at a time. */
  const claimed = new Set<string>();
  const running = new Map<string, { capture: RemoteCapture; containerId: string }>();
  const pending = new Set<Promise<void>>();
  let stopReason: StopReason | undefined;
  let markStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    markStopped = resolve;
  });

  const startingOn = (name: string) =>
    resolved.pods.flatMap(({ pod }) =>
      pod.spec?.nodeName === name ? (chosenContainer(pod, request.container) ?? []) : [],
    );
  const reachOnce = (pod: V1Pod, name: string) => {
    let reached = nodes.get(name);
    if (!reached) {
      reached = nodeLimit(async () => {
        const { target, connection } = await hooks.reach(name, () => nodeAddresses(kube, pod));
        const exec: RemoteExec = (argv, options) => connection.exec(argv, options);
        return { target, connection, inspect: new SharedInspect(target, startingOn(name), exec) };
      });
      nodes.set(name, reached);
    }
    return reached;
  };

  /** One pod at one vantage point from first look to the end of its stream; never throws. `settled`: listening or over. */
  const captureStream = async (
    found: FoundPod,
    point: VantagePoint,
    settled: () => void = () => {},
  ): Promise<void> => {
    const key = keyOf(found.pod, point);
    if (claimed.has(key) || stopReason) return settled();
    let target: PodTarget;
    try {
      target = targetOf(found.pod, request.container);
    } catch (error) {
      const skipped = error instanceof PodNotRunning && !found.named;
      results.push({
        key,
        vantage: point,
        status: skipped ? "skipped" : "failed",
        error: error as PodcapError,
      });
      report(key, skipped ? "skipped" : "failed", (error as Error).message);
      return settled();
    }
    claimed.add(key);
    const result: TargetResult = { key, vantage: point, status: "failed", pod: target };
    results.push(result);
    let sink: Sink | undefined;
    try {
      const refused = await refusalIn(target.namespace);
      if (refused) throw refused;
      report(key, "connecting", target.nodeName);
      const reached = await reachOnce(found.pod, target.nodeName);
      const bufferKiB = sharedBufferKiB(startingOn(target.nodeName).length * where.length);
      const options = { ...request.capture, vantage: point, bufferKiB };
      const { started, capture } = await startPodCapture(target, reached, options, {
        onStage: (stage, detail) => report(key, stage === "locate" ? "locating" : "starting", detail),
        onProgress: () => hooks.onProgress?.(),
        openSink: (s) => {
          sink = hooks.openSink(s);
          return sink.stream;
        },
      });
      result.started = started;
      running.set(key, { capture, containerId: target.container.id });
      if (stopReason) capture.stop(stopReason);
      await capture.ready;
      result.startedAt = new Date();
      report(
        key,
        "listening",
        `${vantageLabel(point)} (${started.located.runtime} pid ${started.located.pid})`,
      );
      settled();
      result.outcome = await capture.done;
      result.status = "captured";
      report(key, "ended", result.outcome.reason);
    } catch (error) {
      result.error = isPodcapError(error) ? error : kubeError(error, kube);
      report(key, "failed", result.error.message);
    } finally {
      result.endedAt = new Date();
      running.delete(key);
      claimed.delete(key);
      await sink?.close();
      settled();
    }
    if (request.follow && !stopReason && result.outcome?.reason === "target-gone")
      track(recheck(target, point, key));
  };

  /** A stream that ended with its process: the container may have restarted; look again. */
  const recheck = async ({ namespace, name }: PodTarget, point: VantagePoint, key: string) => {
    for (const delay of RECHECK_DELAYS_MS) {
      await new Promise((r) => setTimeout(r, delay));
      if (stopReason || claimed.has(key)) return;
      const pod = await kube.core.readNamespacedPod({ name, namespace }).catch(() => undefined);
      if (!pod) return; // deleted: its stream has ended for good
      if (chosenContainer(pod, request.container)) return captureStream({ pod, named: false }, point);
    }
  };

  const track = (work: Promise<void>) => {
    pending.add(work);
    work.finally(() => pending.delete(work));
  };

  hooks.onResolved?.(resolved.pods.flatMap((found) => where.map((point) => keyOf(found.pod, point))));
  const firstSettled = resolved.pods.flatMap((found) =>
    where.map((point) => new Promise<void>((settled) => track(captureStream(found, point, settled)))),
  );
  const watcher = request.follow
    ? watchPods(kube, resolved.watches, (change, pod) => {
        // A restarted container's old stream ends by itself; its successor starts after it.
        if (change === "DELETED" || !chosenContainer(pod, request.container)) return;
        for (const point of where)
          if (!claimed.has(keyOf(pod, point))) track(captureStream({ pod, named: false }, point));
      })
    : undefined;
  const stop = (reason: StopReason) => {
    stopReason ??= reason;
    watcher?.stop();
    for (const { capture } of running.values()) capture.stop(reason);
    markStopped();
  };
  await Promise.all(firstSettled);
  hooks.onRunning?.(stop, () => {
    stop("interrupted");
    for (const { capture } of running.values()) capture.abort();
  });
  const durationTimer =
    request.capture.durationSeconds === undefined
      ? undefined
      : setTimeout(() => stop("duration"), request.capture.durationSeconds * 1000);
  // Without --follow the run ends with its last stream; with it, only when stopped.
  if (request.follow) await stopped;
  while (pending.size > 0) await Promise.allSettled([...pending]);
  clearTimeout(durationTimer);
  watcher?.stop();
  const reachedNodes = await reachedOf(nodes);
  await records?.finish(auditSummary(results, request, startedAt, stopReason), reachedNodes.execs);
  for (const connection of reachedNodes.connections) connection.close();
  return { targets: results, stopReason };
}

async function reachedOf(nodes: Map<string, Promise<ReachedNode>>) {
  const execs = new Map<string, AuditExec>();
  const connections: NodeConnection[] = [];
  for (const [name, reached] of nodes) {
    const connection = await reached.then(
      (r) => r.connection,
      () => undefined,
    );
    if (!connection) continue;
    connections.push(connection);
    execs.set(name, connection.exec.bind(connection));
  }
  return { execs, connections };
}

/** The running container podcap would enter in this pod, or undefined when there is none. */
function chosenContainer(pod: V1Pod, container: string | undefined): ContainerRef | undefined {
  try {
    return targetOf(pod, container).container;
  } catch {
    return undefined;
  }
}
