// The run as a listr2 task list, np-style: each step a named task that skips itself once the
// run has stopped; a parallel group is a task of concurrent subtasks. Progress goes to stderr
// (a live list on a terminal, one line per event elsewhere, nothing with --json); the results
// come back in runbook order for manifest.json.

import { Listr, ListrLogger, type ListrTask, ProcessOutput } from "listr2";
import { visibleText } from "../capture/printable.js";
import { runStep } from "./run-step.js";
import type { PlannedStep } from "./runbook-plan.js";
import type { RunContext, StepResult, StepStatus } from "./step-context.js";
import { stepTitle } from "./step-titles.js";

const WORST: StepStatus[] = ["failed", "partial", "skipped", "ok"];
const worstOf = (results: StepResult[]): StepStatus =>
  WORST.find((status) => results.some((r) => r.status === status)) ?? "ok";

function skippedResult(step: PlannedStep, why: string): StepResult {
  return {
    name: step.name,
    kind: step.kind === "detach" ? "capture" : step.kind,
    status: "skipped",
    skipped: why,
    files: [],
    ...(step.kind === "parallel" ? { steps: step.steps.map((s) => skippedResult(s, why)) } : {}),
  };
}

function summary(result: StepResult): string {
  const bits = [
    result.status,
    result.packets !== undefined && `${result.packets} packets`,
    result.files.length > 0 && `${result.files.length} files`,
    result.error && visibleText(result.error.message, 200),
  ].filter(Boolean);
  return bits.join(", ");
}

export async function executeRun(context: RunContext, options: { quiet: boolean }): Promise<StepResult[]> {
  const results = context.plan.steps.map((step) => skippedResult(step, "not reached"));

  const taskOf = (step: PlannedStep, record: (result: StepResult) => void): ListrTask => ({
    title: stepTitle(step),
    skip: () => {
      if (!context.stop.reason) return false;
      record(skippedResult(step, context.stop.describe()));
      return `${step.name}: skipped (${context.stop.describe()})`;
    },
    task: async (_, task) => {
      if (step.kind === "parallel") {
        const children = step.steps.map((s) => skippedResult(s, "not reached"));
        const group: StepResult = {
          ...skippedResult(step, "not reached"),
          steps: children,
          startedAt: new Date().toISOString(),
        };
        record(group);
        return task.newListr(
          step.steps.map((child, i) =>
            taskOf(child, (result) => {
              children[i] = result;
              Object.assign(group, {
                status: worstOf(children),
                endedAt: new Date().toISOString(),
                skipped: undefined,
              });
            }),
          ),
          { concurrent: true, exitOnError: false },
        );
      }
      const result = await runStep(step, context, (line) => {
        task.output = visibleText(line, 200);
      });
      record(result);
      task.title = `${stepTitle(step)}: ${summary(result)}`;
      if (result.status === "failed" || result.status === "partial") throw new Error(task.title);
    },
  });

  const logger = new ListrLogger({ processOutput: new ProcessOutput(process.stderr, process.stderr) });
  const list = new Listr(
    context.plan.steps.map((step, index) =>
      taskOf(step, (result) => {
        results[index] = result;
      }),
    ),
    {
      concurrent: false,
      exitOnError: false,
      // Ctrl-C is podcap's (stop and flush every capture), not listr2's.
      registerSignalListeners: false,
      renderer: options.quiet ? "silent" : "default",
      fallbackRenderer: options.quiet ? "silent" : "simple",
      rendererOptions: { collapseErrors: false, logger },
      fallbackRendererOptions: { logger },
    },
  );
  await list.run().catch(() => undefined);
  return results;
}
