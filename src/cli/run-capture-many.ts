// Runs a fan-out capture for the command line: one merged pcapng (interfaces named
// namespace/pod/iface) or, with --split, one pcap per pod; per-target progress on stderr; a
// summary per target; exit 0 when every target was captured, 10 when only some were.

import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { captureMany, type ManyResult } from "../capture/capture-many.js";
import { defaultMergedFileName, defaultOutputFileName } from "../capture/output-file-name.js";
import type { CaptureStarted } from "../capture/start-pod-capture.js";
import { type VantagePoint, vantageLabel } from "../capture/vantage.js";
import { PcapngMerge } from "../deliver/pcapng-merge.js";
import { openFileSink, openSink, type Sink } from "../deliver/sinks.js";
import { ExitCode, UsageError } from "../errors.js";
import { connectKube } from "../kube/kube-client.js";
import type { PodTarget } from "../kube/pod-target.js";
import { describeRef } from "../kube/target-ref.js";
import { type ManyTotals, manySummaryJson, manySummaryLines } from "../ui/many-summary.js";
import { createTargetsProgress } from "../ui/targets-progress.js";
import { handleInterrupts } from "./interrupts.js";
import type { ManyInvocation } from "./many-invocation.js";
import { nodeAccess } from "./node-access.js";

/** What a pod's stream becomes in the merged file: its interface name and where it came from. */
const sourceInfo = ({ pod, located, vantage }: CaptureStarted) => ({
  name: `${pod.namespace}/${pod.name}/${vantageLabel(vantage)}`,
  description:
    `node ${pod.nodeName}, container ${pod.container.name} ` +
    `(${pod.container.scheme}://${pod.container.id.slice(0, 12)}), ${located.runtime} pid ${located.pid}`,
});

function splitDirectory(path: string): string {
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    if (statSync(path).isDirectory()) return path;
  } catch {
    // reported below
  }
  throw new UsageError(
    `--split needs a directory, and ${path} is not one`,
    "give -o a directory (it is made if missing)",
  );
}

/** One pod's file with --split; with several vantage points, one file per pod and vantage point. */
function splitFileName(pod: PodTarget, vantage: VantagePoint, severalVantages: boolean): string {
  const name = defaultOutputFileName(pod.namespace, pod.name, new Date());
  if (!severalVantages) return name;
  return name.replace(/\.pcap$/, `_${vantageLabel(vantage).replace(/[^A-Za-z0-9.-]+/g, "-")}.pcap`);
}

/** The outputs of a run: a pod's sink, then the totals once every stream is done (runbooks too). */
export function manyOutputs(invocation: ManyInvocation, label: string, namespace: string) {
  const { request, output } = invocation;
  const severalVantages = (request.where?.length ?? 1) > 1;
  if (invocation.split) {
    const dir = splitDirectory(output?.kind === "file" ? output.path : ".");
    const bytes = { packets: 0, bytes: 0 };
    return {
      open: ({ pod, vantage }: CaptureStarted) =>
        openFileSink(join(dir, splitFileName(pod, vantage, severalVantages))),
      progress: () => bytes,
      finish: async (result: ManyResult) => {
        for (const t of result.targets) {
          bytes.packets += t.outcome?.progress.packets ?? 0;
          bytes.bytes += t.outcome?.progress.bytes ?? 0;
        }
        return { where: dir, ...bytes };
      },
    };
  }
  // Opened with the first stream, so a run where every target fails leaves no empty file.
  let merged: { sink: Sink; merge: PcapngMerge } | undefined;
  const mergedOutput = () => {
    if (!merged) {
      const sink = openSink(
        output ?? { kind: "file", path: defaultMergedFileName(namespace, label, new Date()) },
      );
      merged = { sink, merge: new PcapngMerge(sink.stream) };
    }
    return merged;
  };
  return {
    open: (started: CaptureStarted): Sink => {
      const { sink, merge } = mergedOutput();
      const stream = merge.addSource(sourceInfo(started));
      return {
        stream,
        where: sink.where,
        close: () => {
          stream.end();
          return finished(stream).catch(() => undefined);
        },
      };
    },
    progress: () => merged?.merge.progress ?? { packets: 0, bytes: 0 },
    finish: async () => {
      if (!merged) return { where: "nothing written", packets: 0, bytes: 0 };
      await merged.merge.finish();
      await merged.sink.close();
      return { where: merged.sink.where, ...merged.merge.progress };
    },
  };
}

export async function runCaptureMany(invocation: ManyInvocation, debug: boolean): Promise<number> {
  const { request, json } = invocation;
  const kube = connectKube(request);
  const namespace = request.namespace ?? kube.namespace;
  const { refs, selector, node } = request.query;
  const label =
    refs.map(describeRef).join("+") || [selector, node && `node-${node}`].filter(Boolean).join("+");
  const progress = await createTargetsProgress({ quiet: json });
  const out = manyOutputs(invocation, label, request.query.allNamespaces ? "all" : namespace);
  const interrupts = handleInterrupts();
  const startedAt = new Date();
  let stopAll: ((reason: "interrupted" | "max-size") => void) | undefined;
  const listening = new Set<string>();
  try {
    const access = await nodeAccess(
      invocation,
      debug ? (line) => process.stderr.write(`podcap: ${line}\n`) : undefined,
    );
    const result = await captureMany(request, {
      ...access,
      openSink: out.open,
      onResolved: (keys) => progress.resolved(keys),
      onTarget: (key, state, detail) => {
        if (state === "listening") listening.add(key);
        else if (state === "ended" || state === "failed") listening.delete(key);
        progress.target(key, state, detail);
      },
      onProgress: () => {
        const { packets, bytes } = out.progress();
        progress.packets(listening.size, packets, bytes);
        if (invocation.mergedMaxBytes !== undefined && bytes >= invocation.mergedMaxBytes)
          stopAll?.("max-size");
      },
      onRunning: (stop, abort) => {
        stopAll = stop;
        progress.running();
        interrupts.capturing(() => stop("interrupted"), abort);
      },
    });
    const totals: ManyTotals = { ...(await out.finish(result)), startedAt, endedAt: new Date() };
    await progress.done();
    if (json) {
      const line = `${JSON.stringify(manySummaryJson(result, totals, request.capture))}\n`;
      (invocation.output?.kind === "stdout" ? process.stderr : process.stdout).write(line);
    } else {
      process.stderr.write(`${manySummaryLines(result, totals).join("\n")}\n`);
    }
    return exitCodeOf(result);
  } finally {
    interrupts.dispose();
  }
}

/** 0 when every target was captured; 10 when some were; else the first failure's own code. */
export function exitCodeOf(result: ManyResult): number {
  const captured = result.targets.filter(
    (t) => t.status === "captured" && t.outcome?.reason !== "connection-lost",
  );
  const failed = result.targets.filter((t) => !captured.includes(t) && t.status !== "skipped");
  if (captured.length === 0) return failed[0]?.error?.exitCode ?? ExitCode.notFound;
  return failed.length > 0 ? ExitCode.partial : ExitCode.ok;
}
