// One running capture, seen from podcap: the wrapper's channel, its heartbeat, the pcap bytes cut
// at record boundaries into the sink, and tcpdump's stderr read apart from them. Every way a
// capture can end goes through `stop()` or the channel closing, and all of them end in `done`.

import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { bufferReclaimer } from "../deliver/buffer-reclaim.js";
import { type PcapProgress, PcapRecordCutter } from "../deliver/pcap-records.js";
import {
  CaptureFailed,
  InterfaceNotFound,
  type PodcapError,
  RuntimeNotFound,
  ToolMissing,
} from "../errors.js";
import { HEARTBEAT, WRAPPER_TAG, WrapperExit } from "./remote-wrapper.js";
import {
  type CaptureStats,
  parseCaptureStats,
  parseReadyLine,
  type ReadyLine,
  tcpdumpFailure,
} from "./tcpdump-stderr.js";
import type { WrapperChannel } from "./wrapper-channel.js";

export type StopReason =
  | "interrupted"
  | "duration"
  | "count"
  | "max-size"
  | "target-gone"
  | "node-limit"
  | "connection-lost"
  | "tcpdump-exited";

export interface CaptureOutcome {
  reason: StopReason;
  progress: PcapProgress;
  stats?: CaptureStats;
  /** tcpdump's messages that were neither the ready line nor statistics (warnings). */
  messages: string[];
}

export interface RemoteCaptureOptions {
  /** The wrapper's channel, watched since it opened. */
  wrapper: WrapperChannel;
  sink: Writable;
  /** Stop once the file would grow past this many bytes. */
  maxBytes?: number;
  /** Passed to tcpdump as -c: an end by tcpdump itself at this count is reported as "count". */
  count?: number;
  iface: string;
  filter: string;
  heartbeatMs?: number;
  /** How long the wrapper may take to finish after being asked to stop. */
  stopGraceMs?: number;
  onProgress?: (progress: PcapProgress) => void;
}

export class RemoteCapture {
  readonly ready: Promise<ReadyLine>;
  readonly done: Promise<CaptureOutcome>;
  private requested?: StopReason;
  private readonly cutter: PcapRecordCutter;
  private heartbeat?: NodeJS.Timeout;
  private stderr = "";
  private stopTimer?: NodeJS.Timeout;

  constructor(private readonly options: RemoteCaptureOptions) {
    const { wrapper } = options;
    const { channel } = wrapper;
    this.cutter = new PcapRecordCutter(options.maxBytes);
    channel.write(HEARTBEAT);
    this.heartbeat = setInterval(
      () => channel.writable && channel.write(HEARTBEAT),
      options.heartbeatMs ?? 1000,
    );
    let markReady: (line: ReadyLine) => void = () => {};
    let failReady: (error: unknown) => void = () => {};
    this.ready = new Promise((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    this.ready.catch(() => {});
    wrapper.onStderr(() => {
      this.stderr = wrapper.stderr;
      const line = parseReadyLine(this.stderr);
      if (line) markReady(line);
    });
    const reclaim = bufferReclaimer();
    this.cutter.on("data", (chunk: Buffer) => {
      reclaim(chunk.length);
      options.onProgress?.(this.cutter.progress);
      if (this.cutter.limitReached) this.stop("max-size");
    });
    const streamed = pipeline(channel, this.cutter, options.sink, { end: false }).catch(
      (error: unknown) => error,
    );
    this.done = (async () => {
      const streamError = await streamed;
      await wrapper.closed;
      clearInterval(this.heartbeat);
      clearTimeout(this.stopTimer);
      const code = await wrapper.exited;
      const outcome = this.outcome(code);
      const failure = this.failure(code, outcome);
      failReady(
        failure ??
          new CaptureFailed(
            "the capture ended before tcpdump was listening",
            "run with --debug to see tcpdump's output",
          ),
      );
      if (failure) throw failure;
      if (streamError instanceof Error && !this.requested) throw streamError;
      return outcome;
    })();
    // A caller that learns of a failure from `ready` need not also await `done`.
    this.done.catch(() => {});
  }

  /** Asks the wrapper to stop (EOF on its stdin); it flushes tcpdump and exits within the grace. */
  stop(reason: StopReason): void {
    if (this.requested) return;
    this.requested = reason;
    clearInterval(this.heartbeat);
    this.options.wrapper.channel.end();
    this.stopTimer = setTimeout(
      () => this.options.wrapper.channel.close(),
      this.options.stopGraceMs ?? 10_000,
    );
  }

  /** Drops the connection's side at once (a second Ctrl-C): the node cleans up on its own. */
  abort(): void {
    this.requested ??= "interrupted";
    this.options.wrapper.channel.close();
  }

  private wrapperSaid(): Map<string, string> {
    const said = new Map<string, string>();
    for (const line of this.stderr.split("\n")) {
      if (!line.startsWith(`${WRAPPER_TAG} `)) continue;
      const [word, ...rest] = line.slice(WRAPPER_TAG.length + 1).split(" ");
      if (word) said.set(word, rest.join(" "));
    }
    return said;
  }

  private outcome(code: number | undefined): CaptureOutcome {
    const said = this.wrapperSaid();
    const remote = said.get("stopped")?.match(/reason=(\S+)/)?.[1];
    const progress = this.cutter.progress;
    let reason: StopReason = this.requested ?? "connection-lost";
    if (!this.requested && remote === "target-gone") reason = "target-gone";
    else if (!this.requested && remote === "tcpdump-exited") {
      if (code === 124) reason = "node-limit";
      else if (this.options.count !== undefined && progress.packets >= this.options.count) reason = "count";
      else reason = "tcpdump-exited";
    }
    const messages = this.stderr
      .split("\n")
      .filter((line) => line.trim() !== "" && !line.startsWith(WRAPPER_TAG))
      .filter(
        (line) =>
          !parseReadyLine(line) && !/^\d+ packets? /.test(line) && !/^tcpdump: listening on/.test(line),
      );
    return { reason, progress, stats: parseCaptureStats(this.stderr), messages };
  }

  /** The typed error for a capture that never got going, or undefined when it ran. */
  private failure(code: number | undefined, outcome: CaptureOutcome): PodcapError | undefined {
    const said = this.wrapperSaid();
    const { iface, filter } = this.options;
    if (code === WrapperExit.tcpdumpMissing) {
      return new ToolMissing(
        `tcpdump is not installed on the node (looked for ${said.get("tcpdump-missing") ?? "tcpdump"})`,
        "install it on the node (apt-get install tcpdump, dnf install tcpdump), or set tcpdumpPath in the inventory",
      );
    }
    if (code === WrapperExit.nsenterMissing) {
      return new ToolMissing("nsenter is not installed on the node", "install util-linux on the node");
    }
    if (code === WrapperExit.targetGone) {
      return new RuntimeNotFound(
        "the container's process ended before the capture started",
        "the pod may be restarting: try again",
      );
    }
    if (code === WrapperExit.vantageUnresolved) {
      const where = said.get("vantage-unresolved") ?? "";
      return new InterfaceNotFound(
        where === "veth"
          ? `no veth on the node pairs with ${iface} of the pod`
          : "the node has no default route to take its interface from",
        where === "veth"
          ? "the pod's interface may not be a veth (macvlan, ipvlan, SR-IOV): try --where node:IFACE"
          : "name the node's interface: --where node:IFACE",
      );
    }
    if (code === WrapperExit.noTarget) {
      return new CaptureFailed(
        "the capture on the node was given no process to enter",
        "run again with --debug; the node may have been too slow to answer",
      );
    }
    if (code === WrapperExit.recordExists) {
      return new CaptureFailed(
        "a capture with this ID already runs on the node",
        "try again: IDs are made fresh each run",
      );
    }
    if (outcome.progress.bytes === 0 && !parseReadyLine(this.stderr) && !this.requested) {
      return tcpdumpFailure(this.stderr, { iface, filter });
    }
    return undefined;
  }
}
