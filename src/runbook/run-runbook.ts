// `podcap run`: load and plan the runbook (every refusal before anything runs), resolve its
// targets through the kube API, then either print the dry run or run the steps into one output
// directory and write its manifest.json. Returns the exit code.

import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { auditWho } from "../audit/local-identity.js";
import { compactUtcStamp } from "../capture/output-file-name.js";
import { printable } from "../capture/printable.js";
import { handleInterrupts } from "../cli/interrupts.js";
import { nodeAccess } from "../cli/node-access.js";
import { UsageError } from "../errors.js";
import { connectKube } from "../kube/kube-client.js";
import { dryRunJson, dryRunLines } from "./dry-run.js";
import { manifestOf, writeManifest } from "./run-manifest.js";
import { RunStop } from "./run-stop.js";
import { executeRun } from "./runbook-executor.js";
import { loadRunbook } from "./runbook-load.js";
import { planRunbook, type RunFlags } from "./runbook-plan.js";
import { resolvePlanTargets } from "./runbook-targets.js";
import { parseVarFlags } from "./runbook-variables.js";
import type { StepResult } from "./step-context.js";

export interface RunInvocation extends RunFlags {
  file: string;
  vars: string[];
  dryRun: boolean;
  json: boolean;
  output?: string;
  debug: boolean;
}

/** -o DIR, or ./NAME-TIME/: a new directory, or an empty one, never mixed with another run's files. */
function outputDirectory(output: string | undefined, name: string, now: Date): string {
  const dir = resolve(output ?? `${name}-${compactUtcStamp(now)}`);
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new UsageError(
      `output directory ${printable(dir)} is not empty`,
      "name a new or empty directory with -o",
    );
  return dir;
}

export async function runRunbook(invocation: RunInvocation): Promise<number> {
  const say = (line: string) => process.stderr.write(`podcap: ${line}\n`);
  const debug = invocation.debug ? say : undefined;
  const loaded = await loadRunbook(invocation.file, parseVarFlags(invocation.vars));
  const plan = planRunbook(loaded, invocation);
  const startedAt = new Date();
  const dir = invocation.dryRun ? undefined : outputDirectory(invocation.output, plan.name, startedAt);
  const kube = connectKube(invocation);
  const pods = await resolvePlanTargets(plan, kube);
  if (invocation.dryRun) {
    if (invocation.json) process.stdout.write(`${JSON.stringify(dryRunJson(plan, pods))}\n`);
    else process.stdout.write(`${dryRunLines(plan, pods).join("\n")}\n`);
    return 0;
  }
  const outputDir = dir as string;
  mkdirSync(outputDir, { recursive: true, mode: 0o700 });
  const stop = new RunStop();
  const interrupts = handleInterrupts();
  interrupts.capturing(
    () => stop.stop("interrupted"),
    () => stop.abort(),
  );
  const timer =
    plan.afterSeconds === undefined
      ? undefined
      : setTimeout(() => stop.stop("after"), plan.afterSeconds * 1000);
  let steps: StepResult[] = [];
  try {
    const access = await nodeAccess(
      {
        inventory: invocation.inventory,
        insecureAcceptHostKey: invocation.insecureAcceptHostKey ?? false,
        skipAccessCheck: invocation.skipAccessCheck ?? false,
      },
      debug,
    );
    steps = await executeRun(
      { plan, dir: outputDir, kube, access, stop, detached: new Map(), debug },
      { quiet: invocation.json },
    );
  } finally {
    clearTimeout(timer);
    interrupts.dispose();
  }
  const manifest = manifestOf({
    plan,
    dir: outputDir,
    who: auditWho(kube),
    startedAt,
    endedAt: new Date(),
    stoppedBy: stop.reason,
    steps,
  });
  const path = await writeManifest(manifest, outputDir);
  if (invocation.json) process.stdout.write(`${JSON.stringify(manifest)}\n`);
  else {
    const leaves = steps.flatMap((s) => s.steps ?? [s]);
    const count = (status: string) => leaves.filter((s) => s.status === status).length;
    const tally = ["ok", "partial", "failed", "skipped"]
      .map((status) => count(status) && `${count(status)} ${status}`)
      .filter(Boolean);
    say(
      `runbook ${plan.name}: ${tally.join(", ")}${stop.reason ? ` (${stop.describe()})` : ""}; everything is in ${outputDir} (${path.slice(outputDir.length + 1)})`,
    );
    process.stdout.write(`${outputDir}\n`);
  }
  return manifest.exitCode;
}
