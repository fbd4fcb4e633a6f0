// A capture step: `podcap capture` of its target with its options, through the same fan-out
// (one merged pcapng, or one pcap per pod with split), into the run's directory as STEP.pcapng
// or STEP/. The run's stop reaches its streams as Ctrl-C would.

import { existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { captureMany } from "../../capture/capture-many.js";
import { exitCodeOf, manyOutputs } from "../../cli/run-capture-many.js";
import { ExitCode } from "../../errors.js";
import { humanBytes } from "../../ui/capture-summary.js";
import { manySummaryJson } from "../../ui/many-summary.js";
import type { PlannedStep } from "../runbook-plan.js";
import type { RunContext, StepOutcome } from "../step-context.js";

type CaptureStep = Extract<PlannedStep, { kind: "capture" }>;

const DRAW_EVERY_MS = 500;

export async function runCaptureStep(
  step: CaptureStep,
  context: RunContext,
  say: (line: string) => void,
): Promise<StepOutcome> {
  const split = step.invocation.split;
  const path = join(context.dir, split ? step.name : `${step.name}.pcapng`);
  const invocation = { ...step.invocation, output: { kind: "file" as const, path } };
  const namespace = step.target.namespace ?? context.kube.namespace;
  const out = manyOutputs(invocation, step.name, namespace);
  const startedAt = new Date();
  let stopAll: ((reason: "interrupted" | "duration" | "max-size") => void) | undefined;
  let unsubscribe = () => {};
  let lastDraw = 0;
  try {
    const result = await captureMany(invocation.request, {
      ...context.access,
      openSink: out.open,
      onTarget: (key, state, detail) => say(`${key}: ${state} ${detail}`),
      onProgress: () => {
        const { packets, bytes } = out.progress();
        if (invocation.mergedMaxBytes !== undefined && bytes >= invocation.mergedMaxBytes)
          stopAll?.("max-size");
        if (Date.now() - lastDraw < DRAW_EVERY_MS) return;
        lastDraw = Date.now();
        say(`${packets} packets, ${humanBytes(bytes)}`);
      },
      onRunning: (stop, abort) => {
        stopAll = stop;
        // stop.after ends a capture as its own -d would; a failure elsewhere or Ctrl-C interrupts it.
        unsubscribe = context.stop.onStop(
          (reason) => stop(reason === "after" ? "duration" : "interrupted"),
          abort,
        );
      },
    });
    const totals = { ...(await out.finish(result)), startedAt, endedAt: new Date() };
    const exitCode = exitCodeOf(result);
    const firstError = result.targets.find((t) => t.error)?.error;
    const files = split
      ? existsSync(path)
        ? readdirSync(path).map((file) => join(step.name, file))
        : []
      : existsSync(path)
        ? [basename(path)]
        : [];
    return {
      status: exitCode === ExitCode.ok ? "ok" : exitCode === ExitCode.partial ? "partial" : "failed",
      exitCode,
      files,
      packets: totals.packets,
      error: firstError && { message: firstError.message, hint: firstError.hint },
      detail: manySummaryJson(result, totals, invocation.request.capture),
    };
  } finally {
    unsubscribe();
  }
}
