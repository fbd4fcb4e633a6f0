// One pod, the whole pipeline: resolve -> reach -> locate -> capture -> deliver. Each stage
// reports to `progress`; every check that can refuse the request runs before the SSH connection.

import type { Writable } from "node:stream";
import type { CaptureRecords } from "../audit/capture-records.js";
import type { PcapProgress } from "../deliver/pcap-records.js";
import { connectKube, type Kube, type KubeOptions } from "../kube/kube-client.js";
import { assertNamespace } from "../kube/pod-ref.js";
import type { PodTarget } from "../kube/pod-target.js";
import { resolvePod } from "../kube/resolve-pod.js";
import type { StopReason } from "./remote-capture.js";
import {
  type CaptureResult,
  type CaptureStarted,
  type NodeConnection,
  type PodCaptureOptions,
  type ReachNode,
  startPodCapture,
  tcpdumpArgvFor,
} from "./start-pod-capture.js";
import type { ReadyLine } from "./tcpdump-stderr.js";

export type { CaptureResult, CaptureStarted, NodeConnection } from "./start-pod-capture.js";

export interface CaptureRequest extends KubeOptions, PodCaptureOptions {
  pod: string;
  container?: string;
}

export interface CaptureHooks {
  reach: ReachNode;
  /** Opened once the capture is known to be possible; what the pcap bytes go into. */
  openSink(pod: PodTarget): Promise<Writable>;
  onStage?(stage: "resolve" | "reach" | "locate" | "start", detail: string): void;
  onReady?(ready: ReadyLine, started: CaptureStarted): void;
  onProgress?(progress: PcapProgress): void;
  /** Lets the caller stop the capture (Ctrl-C, output closed). */
  onRunning?(stop: (reason: StopReason) => void, abort: () => void): void;
  /** Access review, Events and audit (made from the same kubeconfig). */
  records?(kube: Kube): CaptureRecords;
}

export async function capturePod(request: CaptureRequest, hooks: CaptureHooks): Promise<CaptureResult> {
  tcpdumpArgvFor(request); // refuses a bad -i, -s or --count before anything is sent anywhere
  hooks.onStage?.("resolve", request.pod);
  const kube = connectKube(request);
  const records = hooks.records?.(kube);
  const namespace = assertNamespace(request.namespace ?? kube.namespace);
  // The access review goes out with the pod's lookup: one round trip to the API less before SSH.
  const review = records?.refusals([namespace]);
  review?.catch(() => {});
  const { target: pod, nodeAddresses } = await resolvePod(kube, request.pod, namespace, request.container);
  const refused = (await review)?.get(pod.namespace);
  const startedAt = new Date();
  const audit = (connection: NodeConnection | undefined, result: Partial<CaptureResult>, error?: Error) =>
    records?.finish(
      {
        captureId: result.id ?? "",
        targets: [
          { namespace: pod.namespace, pod: pod.name, container: pod.container.name, node: pod.nodeName },
        ],
        iface: request.iface,
        filter: request.filter,
        startedAt,
        endedAt: new Date(),
        packets: result.outcome?.progress.packets ?? 0,
        bytes: result.outcome?.progress.bytes ?? 0,
        status: error ? "failed" : "captured",
        stopReason: result.outcome?.reason,
        error: error?.message,
      },
      new Map(connection ? [[pod.nodeName, connection.exec.bind(connection)]] : []),
    );
  if (refused) {
    await audit(undefined, {}, refused);
    throw refused;
  }
  hooks.onStage?.("reach", pod.nodeName);
  const reached = await hooks.reach(pod.nodeName, nodeAddresses);
  let started: CaptureStarted | undefined;
  try {
    const running = await startPodCapture(pod, reached, request, {
      onStage: hooks.onStage,
      onProgress: hooks.onProgress,
      openSink: () => hooks.openSink(pod),
    });
    started = running.started;
    const { capture } = running;
    hooks.onRunning?.(
      (reason) => capture.stop(reason),
      () => capture.abort(),
    );
    const listeningAt = new Date();
    let durationTimer: NodeJS.Timeout | undefined;
    capture.ready.then(
      (ready) => {
        hooks.onReady?.(ready, running.started);
        records?.started(running.started, request.iface, request.filter);
        if (request.durationSeconds !== undefined)
          durationTimer = setTimeout(() => capture.stop("duration"), request.durationSeconds * 1000);
      },
      () => {},
    );
    try {
      const outcome = await capture.done;
      const result = { ...running.started, outcome, startedAt: listeningAt, endedAt: new Date() };
      records?.stopped(running.started, outcome, listeningAt, result.endedAt);
      await audit(reached.connection, result);
      return result;
    } finally {
      clearTimeout(durationTimer);
    }
  } catch (error) {
    await audit(reached.connection, { id: started?.id }, error as Error);
    throw error;
  } finally {
    reached.connection.close();
  }
}
