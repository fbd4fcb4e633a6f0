// runbook.yaml as zod reads it, after ${var} substitution. Only shapes and types are checked
// here; what a capture value may be (a duration, a port, a filter) is left to the checks of
// `podcap capture` itself (capture-fields.ts), run when the runbook is planned.

import * as z from "zod";
import { CAPTURE_FIELDS, type CaptureField } from "./capture-fields.js";

/** A value typed after a flag: YAML may read `port: 53` as a number, the flag has it as text. */
export const text = z
  .union([z.string(), z.number()], { error: "expected a string or a number" })
  .transform(String);
export const switchValue = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")], {
  error: "expected true or false",
});

/** Step and target names become file names in the output directory. */
export const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const name = (what: string) =>
  z.string({ error: `expected a ${what} name` }).regex(NAME, {
    error: `a ${what} name is lowercase letters, digits and -, at most 63`,
  });

const target = z.strictObject({
  /** What `podcap capture` takes as arguments: NAME, pod/NAME, deploy/NAME, svc/NAME ... */
  names: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  selector: z.string().optional(),
  node: z.string().optional(),
  namespace: z.string().optional(),
  "all-namespaces": switchValue.optional(),
  container: z.string().optional(),
});

const captureShape = Object.fromEntries(
  Object.entries(CAPTURE_FIELDS).map(([field, spec]) => [
    field,
    (spec.kind === "switch" ? switchValue : text).optional(),
  ]),
) as Record<CaptureField, z.ZodOptional<typeof text> | z.ZodOptional<typeof switchValue>>;

const targetName = z.string({ error: "expected the name of one of the runbook's targets" });

const capture = z.strictObject({ target: targetName, ...captureShape });
const exec = z.strictObject({
  target: targetName,
  /** An argv, never a shell line: each word reaches the node as one argument. */
  command: z.array(z.string(), { error: "expected the command as a list of words" }).min(1),
  timeout: text.optional(),
});
const bundle = z.strictObject({ target: targetName });
const fetch = z.preprocess(
  (value) => (typeof value === "string" ? { from: value } : value),
  z.strictObject({
    /** The earlier detached capture step whose files are fetched. */
    from: z.string({ error: "expected the name of an earlier capture step with detach: true" }),
    merge: switchValue.optional(),
    /** Stop the capture first, so every file is complete. */
    stop: switchValue.optional(),
    /** Delete its files from the node once they are here. */
    delete: switchValue.optional(),
  }),
);

export const LEAF_KINDS = ["capture", "exec", "bundle", "wait", "fetch"] as const;
export const STEP_KINDS = [...LEAF_KINDS, "parallel"] as const;
export type StepKind = (typeof STEP_KINDS)[number];

const leafShape = {
  name: name("step").optional(),
  capture: capture.optional(),
  exec: exec.optional(),
  bundle: bundle.optional(),
  wait: text.optional(),
  fetch: fetch.optional(),
};

/** A step is one of the kinds: `{ capture: ... }`, `{ wait: 5s }`, never two. */
const oneKind =
  (kinds: readonly string[]) => (step: Record<string, unknown>, context: z.core.$RefinementCtx) => {
    const given = kinds.filter((kind) => step[kind] !== undefined);
    if (given.length !== 1)
      context.addIssue({
        code: "custom",
        message:
          given.length === 0
            ? `a step needs one of ${kinds.join(", ")}`
            : `a step is one kind, not ${given.join(" and ")}`,
      });
  };

const leafStep = z.strictObject(leafShape).superRefine(oneKind(LEAF_KINDS));
const step = z
  .strictObject({
    ...leafShape,
    /** Steps that run at the same time; the next step starts once they have all ended. */
    parallel: z.array(leafStep).min(2, { error: "a parallel group holds at least two steps" }).optional(),
  })
  .superRefine(oneKind(STEP_KINDS));

export const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const varsSchema = z.record(
  z.string().regex(VAR_NAME, { error: "a variable name is letters, digits and _" }),
  z.union([z.string(), z.number(), z.boolean(), z.null()], {
    error: "expected a default value (a string, a number, true or false), or null for none",
  }),
);

export const runbookSchema = z.strictObject({
  name: name("runbook"),
  description: z.string().optional(),
  /** The namespace of targets that name none (default: the context's). */
  namespace: z.string().optional(),
  vars: varsSchema.optional(),
  targets: z.record(name("target"), target),
  stop: z
    .strictObject({
      /** The whole run's bound: running captures are stopped, later steps skipped. */
      after: text.optional(),
      "on-failure": switchValue.optional(),
    })
    .optional(),
  steps: z.array(step).min(1, { error: "a runbook needs at least one step" }),
});

export type Runbook = z.infer<typeof runbookSchema>;
export type RunbookStep = Runbook["steps"][number];
export type RunbookLeafStep = z.infer<typeof leafStep>;
export type RunbookTarget = z.infer<typeof target>;
