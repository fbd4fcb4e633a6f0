// One leaf step, whatever its kind: timed, its failure caught into its result (a step that fails
// never throws past here), and a first failure stops the run when stop.on-failure says so.

import type { PlannedStep } from "./runbook-plan.js";
import { failureOf, type RunContext, type StepOutcome, type StepResult } from "./step-context.js";
import { runCaptureStep } from "./steps/capture-step.js";
import { runDetachStep } from "./steps/detach-step.js";
import { runFetchStep } from "./steps/fetch-step.js";
import { runBundleStep, runExecStep } from "./steps/netns-steps.js";

type LeafStep = Exclude<PlannedStep, { kind: "parallel" }>;

async function outcomeOf(
  step: LeafStep,
  context: RunContext,
  say: (line: string) => void,
): Promise<StepOutcome> {
  switch (step.kind) {
    case "capture":
      return runCaptureStep(step, context, say);
    case "detach":
      return runDetachStep(step, context, say);
    case "fetch":
      return runFetchStep(step, context, say);
    case "wait": {
      const waited = await context.stop.sleep(step.seconds);
      return { status: "ok", files: [], detail: { seconds: step.seconds, cutShort: !waited } };
    }
    case "exec":
      return runExecStep(step, context, say);
    case "bundle":
      return runBundleStep(step, context, say);
  }
}

export async function runStep(
  step: LeafStep,
  context: RunContext,
  say: (line: string) => void,
): Promise<StepResult> {
  const kind = step.kind === "detach" ? "capture" : step.kind;
  const startedAt = new Date().toISOString();
  let outcome: StepOutcome;
  try {
    outcome = await outcomeOf(step, context, say);
  } catch (error) {
    const { exitCode, ...failure } = failureOf(error);
    context.debug?.(`step ${step.name}: ${(error as Error)?.stack ?? error}`);
    outcome = { status: "failed", exitCode, files: [], error: failure };
  }
  if (outcome.status !== "ok" && context.plan.onFailure) context.stop.stop("failure");
  return { name: step.name, kind, ...outcome, startedAt, endedAt: new Date().toISOString() };
}
