// A fetch step: `podcap fetch ID -o DIR/STEP/ID --merge` for each capture an earlier detached
// step started; with stop: true `podcap stop ID` first (so every file is complete), with
// delete: true `podcap stop ID --delete` once the files are here.

import { join, relative } from "node:path";
import { stopDetached } from "../../cli/run-captures.js";
import { fetchDetached } from "../../cli/run-fetch.js";
import { CaptureNotFound } from "../../errors.js";
import { humanBytes } from "../../ui/capture-summary.js";
import type { PlannedStep } from "../runbook-plan.js";
import {
  capturesInvocation,
  failureOf,
  type RunContext,
  type StepOutcome,
  statusOf,
} from "../step-context.js";

type FetchStep = Extract<PlannedStep, { kind: "fetch" }>;

export async function runFetchStep(
  step: FetchStep,
  context: RunContext,
  say: (line: string) => void,
): Promise<StepOutcome> {
  const ids = context.detached.get(step.from) ?? [];
  if (ids.length === 0)
    throw new CaptureNotFound(
      `step ${step.from} started no capture to fetch`,
      `see step ${step.from}'s error in manifest.json`,
    );
  const invocation = capturesInvocation(context);
  const files: string[] = [];
  const fetched: unknown[] = [];
  const errors: unknown[] = [];
  let packets = 0;
  for (const id of ids) {
    try {
      if (step.stop) await stopDetached(id, false, invocation);
      const got = await fetchDetached(
        { ...invocation, id, output: join(context.dir, step.name, id), merge: step.merge },
        (received, total) => say(`${id}: ${humanBytes(received)} of ${humanBytes(total)}`),
      );
      if (step.remove) await stopDetached(id, true, invocation);
      const here = got.got.map((f) => f.path);
      if (got.merged) here.push(got.merged);
      files.push(...here.map((path) => relative(context.dir, path)));
      packets += got.packets ?? 0;
      fetched.push({
        id,
        node: got.node,
        state: got.capture.state,
        files: got.got.length,
        skipped: got.plan.skipped,
        merged: got.merged && relative(context.dir, got.merged),
        deleted: step.remove,
      });
    } catch (error) {
      errors.push(error);
      fetched.push({ id, error: failureOf(error).message });
    }
  }
  const { exitCode, ...error } = errors.length > 0 ? failureOf(errors[0]) : { exitCode: undefined };
  return {
    status: statusOf(ids.length - errors.length, errors.length),
    exitCode,
    files,
    packets: step.merge ? packets : undefined,
    error: "message" in error ? error : undefined,
    detail: { captures: fetched },
  };
}
