// manifest.json of a run: what ran (the runbook, its sha256, the variables), where (the cluster
// and the output directory), when, as whom (kube user and this machine's user), and each step's
// result. Written once the run ends, also when it was stopped; --json prints the same object.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { AuditWho } from "../audit/audit-record.js";
import { ExitCode } from "../errors.js";
import { PODCAP_VERSION } from "../version.js";
import type { RunStopReason } from "./run-stop.js";
import type { RunPlan } from "./runbook-plan.js";
import type { StepResult } from "./step-context.js";

export const MANIFEST_NAME = "manifest.json";

export interface RunRecord {
  plan: RunPlan;
  dir: string;
  who: AuditWho;
  startedAt: Date;
  endedAt: Date;
  stoppedBy?: RunStopReason;
  steps: StepResult[];
}

const flatten = (steps: StepResult[]): StepResult[] =>
  steps.flatMap((s) => (s.steps ? flatten(s.steps) : [s]));

/** 0 when every step went well; 10 (partial) when any failed, went partly or was skipped. */
export function runExitCode(steps: StepResult[]): number {
  return flatten(steps).every((s) => s.status === "ok") ? ExitCode.ok : ExitCode.partial;
}

export function manifestOf(record: RunRecord) {
  const { plan } = record;
  const exitCode = runExitCode(record.steps);
  return {
    podcap: PODCAP_VERSION,
    runbook: {
      name: plan.name,
      description: plan.description,
      file: plan.file,
      sha256: createHash("sha256").update(readFileSync(plan.file)).digest("hex"),
    },
    vars: plan.vars,
    who: record.who,
    directory: record.dir,
    startedAt: record.startedAt.toISOString(),
    endedAt: record.endedAt.toISOString(),
    status: exitCode === ExitCode.ok ? "ok" : "partial",
    exitCode,
    stoppedBy: record.stoppedBy ?? null,
    steps: record.steps,
  };
}

export async function writeManifest(manifest: ReturnType<typeof manifestOf>, dir: string): Promise<string> {
  const path = join(dir, MANIFEST_NAME);
  await writeFile(path, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return path;
}
