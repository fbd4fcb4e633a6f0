// Runs one capture for the command line: progress on stderr, the pcap where the user asked,
// Ctrl-C as the normal way to stop (a second one drops the connection at once), and a one-line
// or JSON summary at the end. Returns the exit code.

import { capturePod } from "../capture/capture-pod.js";
import { defaultOutputFileName } from "../capture/output-file-name.js";
import { openSink, type Sink } from "../deliver/sinks.js";
import { ExitCode } from "../errors.js";
import { captureBundle } from "../netns/capture-bundle.js";
import { bundleSummaryLine } from "../ui/bundle-summary.js";
import { summaryJson, summaryLine } from "../ui/capture-summary.js";
import { createProgress, type Progress } from "../ui/progress.js";
import type { CaptureInvocation } from "./capture-command.js";
import { handleInterrupts } from "./interrupts.js";
import { nodeAccess } from "./node-access.js";

export async function runCapture(
  invocation: CaptureInvocation,
  debug: boolean,
  makeProgress: (options: { quiet: boolean; debug: boolean }) => Promise<Progress> = createProgress,
): Promise<number> {
  const { request, json } = invocation;
  const progress = await makeProgress({ quiet: json, debug });
  let sink: Sink | undefined;
  let stopCapture: ((reason: "interrupted") => void) | undefined;
  const interrupts = handleInterrupts();
  try {
    const access = await nodeAccess(invocation, debug ? (line) => progress.debug(line) : undefined);
    const bundle = invocation.bundle ? captureBundle(request) : undefined;
    const result = await capturePod(request, {
      ...access,
      reach: bundle ? bundle.reach(access.reach) : access.reach,
      openSink: async (pod) => {
        sink = openSink(
          invocation.output ?? {
            kind: "file",
            path: defaultOutputFileName(pod.namespace, pod.name, new Date()),
          },
        );
        sink.stream.on("error", () => stopCapture?.("interrupted"));
        return sink.stream;
      },
      onStage: (stage, detail) => progress.stage(stage, detail),
      onReady: (ready, started) => {
        progress.ready(
          `listening on ${ready.iface} in ${started.pod.namespace}/${started.pod.name} ` +
            `(node ${started.pod.nodeName}, ${started.located.runtime} pid ${started.located.pid}, container ${started.pod.container.name})`,
        );
        bundle?.start(started);
      },
      onProgress: (p) => progress.packets(p.packets, p.bytes),
      onRunning: (stop, abort) => {
        stopCapture = stop;
        interrupts.capturing(() => stop("interrupted"), abort);
      },
    });
    await sink?.close();
    const where = sink?.where ?? "";
    const bundled = await bundle?.finish(where);
    await progress.done();
    if (bundled) process.stderr.write(`${bundleSummaryLine(bundled.manifest, bundled.dir)}\n`);
    for (const message of result.outcome.messages) progress.debug(message);
    if (json) {
      const line = `${JSON.stringify(summaryJson(result, where, request.filter, request.iface))}\n`;
      (invocation.output?.kind === "stdout" ? process.stderr : process.stdout).write(line);
    } else {
      process.stderr.write(`${summaryLine(result, where)}\n`);
    }
    if (result.outcome.reason !== "connection-lost") return ExitCode.ok;
    process.stderr.write(
      `podcap: the connection to ${result.pod.nodeName} was lost during the capture\n` +
        `  hint: what arrived before is a valid pcap in ${where}; the node stops tcpdump by itself\n`,
    );
    return ExitCode.unreachable;
  } catch (error) {
    await progress.fail();
    await sink?.close();
    throw error;
  } finally {
    interrupts.dispose();
  }
}
