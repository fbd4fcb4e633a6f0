// One pod's capture on a node already reached: locate its container's PID, start the wrapper,
// and stream its pcap into a sink. Shared by the one-pod command and by fan-out, where many of
// these run over one connection per node.

import { randomBytes } from "node:crypto";
import type { Writable } from "node:stream";
import type { ClientChannel } from "ssh2";
import type { PcapProgress } from "../deliver/pcap-records.js";
import type { SshTarget } from "../inventory/ssh-target.js";
import type { PodTarget } from "../kube/pod-target.js";
import { type Located, locateContainer, type RemoteExec } from "../runtime/locate.js";
import { ownFirstInspect, type SharedInspect } from "../runtime/shared-inspect.js";
import type { NodeAddresses } from "../ssh/reach-node.js";
import { type CaptureOutcome, RemoteCapture } from "./remote-capture.js";
import { targetPidLine, wrapperArgv } from "./remote-wrapper.js";
import { buildTcpdumpArgv, type TcpdumpOptions } from "./tcpdump-args.js";
import { type VantagePoint, vantageLabel } from "./vantage.js";
import { WrapperChannel } from "./wrapper-channel.js";

/** What the capture needs of an SSH connection to the node (NodeSession fits). */
export interface NodeConnection {
  exec(
    argv: string[],
    options: { sudo: boolean; stdin?: string; timeoutMs?: number },
  ): ReturnType<RemoteExec>;
  spawn(argv: string[], options: { sudo: boolean }): Promise<ClientChannel>;
  close(): void;
}

/** How each pod is captured: the same for one pod or many. */
export interface PodCaptureOptions {
  /** The pod's interface (-i); where tcpdump listens is `vantage`. */
  iface: string;
  /** Default: inside the pod, on `iface`. */
  vantage?: VantagePoint;
  filter: string;
  snaplen?: number;
  count?: number;
  durationSeconds?: number;
  /** Per stream: stop before its pcap passes this size. */
  maxBytes?: number;
  /** The hard limit on the node, whatever else fails. */
  nodeLimitSeconds: number;
  immediate?: boolean;
  /** -B in KiB; tcpdump-args.ts's default when unset. */
  bufferKiB?: number;
}

export interface CaptureStarted {
  id: string;
  pod: PodTarget;
  target: SshTarget;
  located: Located;
  vantage: VantagePoint;
}

export interface CaptureResult extends CaptureStarted {
  outcome: CaptureOutcome;
  startedAt: Date;
  endedAt: Date;
}

export interface StartHooks {
  onStage?(stage: "locate" | "start", detail: string): void;
  onProgress?(progress: PcapProgress): void;
  /** Opened once the container is found; what the pcap bytes go into. */
  openSink(started: CaptureStarted): Promise<Writable> | Writable;
}

const SILENCE_SECONDS = 5;

export function newCaptureId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}-${randomBytes(3).toString("hex")}`;
}

/** tcpdump's argv for these options; throws UsageError for a bad -i, -s or --count. */
export const tcpdumpArgvFor = (options: PodCaptureOptions, tcpdumpPath = "tcpdump") =>
  buildTcpdumpArgv(tcpdumpOptionsOf(options, tcpdumpPath));

const tcpdumpOptionsOf = (options: PodCaptureOptions, tcpdumpPath: string): TcpdumpOptions => ({
  tcpdumpPath,
  iface: options.iface,
  snaplen: options.snaplen,
  count: options.count,
  immediate: options.immediate,
  bufferKiB: options.bufferKiB,
});

/** A node reached; `inspect`, when several pods start on it together, asks its runtime for all. */
export interface ReachedNode {
  target: SshTarget;
  connection: NodeConnection;
  inspect?: SharedInspect;
}

/** Maps a node to its SSH target and connects (inventory, ~/.ssh/config, known_hosts). */
export type ReachNode = (nodeName: string, addresses: NodeAddresses) => Promise<Omit<ReachedNode, "inspect">>;

export async function startPodCapture(
  pod: PodTarget,
  reached: ReachedNode,
  options: PodCaptureOptions,
  hooks: StartHooks,
): Promise<{ started: CaptureStarted; capture: RemoteCapture }> {
  const { target, connection } = reached;
  const id = newCaptureId();
  const vantage = options.vantage ?? { vantage: "pod", iface: options.iface };
  const exec: RemoteExec = (argv, execOptions) => connection.exec(argv, execOptions);
  const first = reached.inspect?.first(pod.container) ?? ownFirstInspect(target, pod.container, exec);
  // One exec: the wrapper asks the runtime itself and waits for the PID podcap reads from the
  // answer; only when that runtime cannot tell are the others asked, over execs of their own.
  const opening = connection.spawn(
    wrapperArgv({
      captureId: id,
      maxSeconds: Math.min(
        options.nodeLimitSeconds,
        (options.durationSeconds ?? Number.POSITIVE_INFINITY) + 30,
      ),
      silenceSeconds: SILENCE_SECONDS,
      filter: options.filter,
      vantage,
      tcpdumpArgv: buildTcpdumpArgv({ ...tcpdumpOptionsOf(options, target.tcpdumpPath), iface: null }),
      inspectArgv: first.argv,
    }),
    { sudo: target.sudo },
  );
  hooks.onStage?.("locate", `${pod.container.scheme}://${pod.container.id.slice(0, 12)}`);
  const wrapping = opening.then((channel) => new WrapperChannel(channel));
  // Handed on at once: other pods of the node may be waiting for what this wrapper reports.
  const answer = first.answer(
    wrapping.then(
      (w) => w.inspected,
      () => undefined,
    ),
  );
  let wrapper: WrapperChannel | undefined;
  let located: Located;
  try {
    wrapper = await wrapping;
    located = await locateContainer(first.exec, target, pod.container, answer);
  } catch (error) {
    wrapper?.channel.close();
    throw error;
  }
  hooks.onStage?.("start", `${vantageLabel(vantage)} in ${pod.namespace}/${pod.name}`);
  wrapper.channel.write(targetPidLine(located.pid));
  const started: CaptureStarted = { id, pod, target, located, vantage };
  let sink: Writable;
  try {
    sink = await hooks.openSink(started);
  } catch (error) {
    wrapper.channel.close();
    throw error;
  }
  const capture = new RemoteCapture({
    wrapper,
    sink,
    maxBytes: options.maxBytes,
    count: options.count,
    iface: options.iface,
    filter: options.filter,
    onProgress: hooks.onProgress,
  });
  return { started, capture };
}
