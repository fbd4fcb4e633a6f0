// One pod, the whole pipeline: resolve -> reach -> locate -> capture -> deliver. Each stage
// reports to `progress`; every check that can refuse the request runs before the SSH connection.

import type { Writable } from "node:stream";
import type { PcapProgress } from "../deliver/pcap-records.js";
import type { SshTarget } from "../inventory/ssh-target.js";
import { connectKube, type KubeOptions } from "../kube/kube-client.js";
import type { PodTarget } from "../kube/pod-target.js";
import { resolvePod } from "../kube/resolve-pod.js";
import type { StopReason } from "./remote-capture.js";
import {
  type CaptureResult,
  type CaptureStarted,
  type NodeConnection,
  type PodCaptureOptions,
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
  /** Maps the node to its SSH target and connects (inventory, ~/.ssh/config, known_hosts). */
  reach(
    nodeName: string,
    addresses: { type: string; address: string }[],
  ): Promise<{ target: SshTarget; connection: NodeConnection }>;
  /** Opened once the capture is known to be possible; what the pcap bytes go into. */
  openSink(pod: PodTarget): Promise<Writable>;
  onStage?(stage: "resolve" | "reach" | "locate" | "start", detail: string): void;
  onReady?(ready: ReadyLine, started: CaptureStarted): void;
  onProgress?(progress: PcapProgress): void;
  /** Lets the caller stop the capture (Ctrl-C, output closed). */
  onRunning?(stop: (reason: StopReason) => void, abort: () => void): void;
}

export async function capturePod(request: CaptureRequest, hooks: CaptureHooks): Promise<CaptureResult> {
  tcpdumpArgvFor(request); // refuses a bad -i, -s or --count before anything is sent anywhere
  hooks.onStage?.("resolve", request.pod);
  const kube = connectKube(request);
  const { target: pod, nodeAddresses } = await resolvePod(
    kube,
    request.pod,
    request.namespace,
    request.container,
  );
  hooks.onStage?.("reach", pod.nodeName);
  const reached = await hooks.reach(pod.nodeName, nodeAddresses);
  try {
    const { started, capture } = await startPodCapture(pod, reached, request, {
      onStage: hooks.onStage,
      onProgress: hooks.onProgress,
      openSink: () => hooks.openSink(pod),
    });
    hooks.onRunning?.(
      (reason) => capture.stop(reason),
      () => capture.abort(),
    );
    const startedAt = new Date();
    let durationTimer: NodeJS.Timeout | undefined;
    capture.ready.then(
      (ready) => {
        hooks.onReady?.(ready, started);
        if (request.durationSeconds !== undefined)
          durationTimer = setTimeout(() => capture.stop("duration"), request.durationSeconds * 1000);
      },
      () => {},
    );
    try {
      const outcome = await capture.done;
      return { ...started, outcome, startedAt, endedAt: new Date() };
    } finally {
      clearTimeout(durationTimer);
    }
  } finally {
    reached.connection.close();
  }
}
