// What every step runner gets (the run's one kube client, node access, output directory and
// stop) and what it gives back for manifest.json.

import type { nodeAccess } from "../cli/node-access.js";
import type { CapturesInvocation } from "../cli/run-captures.js";
import { isPodcapError } from "../errors.js";
import type { Kube } from "../kube/kube-client.js";
import type { RunStop } from "./run-stop.js";
import type { RunPlan } from "./runbook-plan.js";

export type StepStatus = "ok" | "partial" | "failed" | "skipped";

export interface StepOutcome {
  status: StepStatus;
  exitCode?: number;
  /** Relative to the run's output directory. */
  files: string[];
  packets?: number;
  error?: { message: string; hint: string };
  /** What the step did, in the words of the command it stands for (e.g. capture's --json). */
  detail?: unknown;
}

export interface StepResult extends StepOutcome {
  name: string;
  kind: string;
  startedAt?: string;
  endedAt?: string;
  /** Why it did not run. */
  skipped?: string;
  /** A parallel group's steps. */
  steps?: StepResult[];
}

export interface RunContext {
  plan: RunPlan;
  dir: string;
  kube: Kube;
  access: Awaited<ReturnType<typeof nodeAccess>>;
  stop: RunStop;
  /** Capture IDs each detached capture step started, by step name (for fetch steps). */
  detached: Map<string, string[]>;
  debug?: (line: string) => void;
}

/** The options `podcap ls/fetch/stop` would take, from the run's flags. */
export const capturesInvocation = (context: RunContext): CapturesInvocation => ({
  context: context.plan.flags.context,
  kubeconfig: context.plan.flags.kubeconfig,
  inventory: context.plan.flags.inventory,
  insecureAcceptHostKey: context.plan.flags.insecureAcceptHostKey ?? false,
  json: true,
  debug: context.debug,
});

/** Each target's own result -> the step's: all, some or none went well. */
export function statusOf(ok: number, failed: number): StepStatus {
  if (failed === 0) return "ok";
  return ok > 0 ? "partial" : "failed";
}

/** Any failure as manifest.json keeps it: podcap's own message and hint. */
export function failureOf(error: unknown): { message: string; hint: string; exitCode?: number } {
  if (isPodcapError(error)) return { message: error.message, hint: error.hint, exitCode: error.exitCode };
  return { message: error instanceof Error ? error.message : String(error), hint: "run again with --debug" };
}
