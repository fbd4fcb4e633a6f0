// One pod, the whole pipeline: resolve -> reach -> locate -> capture -> deliver. Each stage
// reports to `progress`; every check that can refuse the request runs before the SSH connection.

import { randomBytes } from "node:crypto";
import type { Writable } from "node:stream";
import type { ClientChannel } from "ssh2";
import type { PcapProgress } from "../deliver/pcap-records.js";
import type { SshTarget } from "../inventory/ssh-target.js";
import { connectKube, type KubeOptions } from "../kube/kube-client.js";
import type { PodTarget } from "../kube/pod-target.js";
import { resolvePod } from "../kube/resolve-pod.js";
import { type Located, locateContainer, type RemoteExec } from "../runtime/locate.js";
import { type CaptureOutcome, RemoteCapture, type StopReason } from "./remote-capture.js";
import { wrapperArgv } from "./remote-wrapper.js";
import { buildTcpdumpArgv } from "./tcpdump-args.js";
import type { ReadyLine } from "./tcpdump-stderr.js";

/** What the capture needs of an SSH connection to the node. */
export interface NodeConnection {
  exec: RemoteExec;
  spawn(argv: string[], options: { sudo: boolean }): Promise<ClientChannel>;
  close(): void;
}

export interface CaptureRequest extends KubeOptions {
  pod: string;
  container?: string;
  iface: string;
  filter: string;
  snaplen?: number;
  count?: number;
  durationSeconds?: number;
  maxBytes?: number;
  /** The hard limit on the node, whatever else fails. */
  nodeLimitSeconds: number;
  immediate?: boolean;
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

export interface CaptureStarted {
  id: string;
  pod: PodTarget;
  target: SshTarget;
  located: Located;
}

export interface CaptureResult extends CaptureStarted {
  outcome: CaptureOutcome;
  startedAt: Date;
  endedAt: Date;
}

const SILENCE_SECONDS = 5;

export function newCaptureId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}-${randomBytes(3).toString("hex")}`;
}

export async function capturePod(request: CaptureRequest, hooks: CaptureHooks): Promise<CaptureResult> {
  const tcpdumpArgvFor = (path: string) =>
    buildTcpdumpArgv({
      tcpdumpPath: path,
      iface: request.iface,
      snaplen: request.snaplen,
      count: request.count,
      immediate: request.immediate,
    });
  tcpdumpArgvFor("tcpdump"); // refuses a bad -i, -s or --count before anything is sent anywhere
  hooks.onStage?.("resolve", request.pod);
  const kube = connectKube(request);
  const { target: pod, nodeAddresses } = await resolvePod(
    kube,
    request.pod,
    request.namespace,
    request.container,
  );
  hooks.onStage?.("reach", pod.nodeName);
  const { target, connection } = await hooks.reach(pod.nodeName, nodeAddresses);
  try {
    hooks.onStage?.("locate", `${pod.container.scheme}://${pod.container.id.slice(0, 12)}`);
    const located = await locateContainer(
      (argv, options) => connection.exec(argv, options),
      target,
      pod.container,
    );
    const id = newCaptureId();
    hooks.onStage?.("start", `${request.iface} in ${pod.namespace}/${pod.name}`);
    const channel = await connection.spawn(
      wrapperArgv({
        captureId: id,
        targetPid: located.pid,
        maxSeconds: Math.min(
          request.nodeLimitSeconds,
          (request.durationSeconds ?? Number.POSITIVE_INFINITY) + 30,
        ),
        silenceSeconds: SILENCE_SECONDS,
        filter: request.filter,
        tcpdumpArgv: tcpdumpArgvFor(target.tcpdumpPath),
      }),
      { sudo: target.sudo },
    );
    const started: CaptureStarted = { id, pod, target, located };
    const sink = await hooks.openSink(pod);
    const capture = new RemoteCapture({
      channel,
      sink,
      maxBytes: request.maxBytes,
      count: request.count,
      iface: request.iface,
      filter: request.filter,
      onProgress: hooks.onProgress,
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
    connection.close();
  }
}
