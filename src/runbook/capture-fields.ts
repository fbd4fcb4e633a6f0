// A runbook capture step's fields, spelled as `podcap capture`'s flags (max-size, rotate-every),
// each mapped to the CaptureFlags / DetachFlags key it fills: a step is then checked by the very
// code that checks the flags (capture-options.ts, many-invocation.ts, detach-options.ts), so a
// runbook accepts exactly what the command line accepts. `flag` is how those checks name the
// option in their messages, which lets a refusal point at the field it came from.

import type { CaptureFlags } from "../cli/capture-options.js";
import type { DetachFlags } from "../cli/detach-options.js";

export type StepFlags = CaptureFlags & DetachFlags;

interface Field {
  key: keyof StepFlags;
  /** text: a string or a number, as typed after the flag; switch: a boolean. */
  kind: "text" | "switch";
  flag: string;
}

export const CAPTURE_FIELDS = {
  interface: { key: "interface", kind: "text", flag: "-i" },
  filter: { key: "filter", kind: "text", flag: "-f" },
  port: { key: "port", kind: "text", flag: "--port" },
  proto: { key: "proto", kind: "text", flag: "--proto" },
  duration: { key: "duration", kind: "text", flag: "-d" },
  count: { key: "count", kind: "text", flag: "--count" },
  "max-size": { key: "maxSize", kind: "text", flag: "--max-size" },
  snaplen: { key: "snaplen", kind: "text", flag: "-s" },
  "node-limit": { key: "nodeLimit", kind: "text", flag: "--node-limit" },
  immediate: { key: "immediate", kind: "switch", flag: "--immediate" },
  split: { key: "split", kind: "switch", flag: "--split" },
  follow: { key: "follow", kind: "switch", flag: "--follow" },
  where: { key: "where", kind: "text", flag: "--where" },
  detach: { key: "detach", kind: "switch", flag: "--detach" },
  "rotate-size": { key: "rotateSize", kind: "text", flag: "--rotate-size" },
  "rotate-every": { key: "rotateEvery", kind: "text", flag: "--rotate-every" },
  keep: { key: "keep", kind: "text", flag: "--keep" },
} as const satisfies Record<string, Field>;

export type CaptureField = keyof typeof CAPTURE_FIELDS;

/** A step's values (already strings and booleans) -> the flags `podcap capture` would have parsed. */
export function stepFlags(values: Partial<Record<CaptureField, string | boolean>>): StepFlags {
  const flags: Record<string, string | boolean> = {};
  for (const [field, value] of Object.entries(values)) {
    const spec = CAPTURE_FIELDS[field as CaptureField];
    if (spec && value !== undefined) flags[spec.key] = value;
  }
  // The default commander gives the flag (node-options.ts: --node-limit 1h).
  return { nodeLimit: "1h", ...flags } as StepFlags;
}

const mentions = (text: string, word: string) =>
  new RegExp(`(^|[\\s(])${word.replace(/-/g, "\\-")}([\\s),:]|$)`).test(text);

/**
 * The field a check's refusal is about, among those the step gives: the flag its message names
 * ("--count takes a whole number", "invalid duration ... for -d"), else the field's own name in
 * the message ("invalid port"), else the flag its hint names; undefined when none fits.
 */
export function fieldNamedIn(
  error: { message: string; hint: string },
  fields: readonly string[],
): CaptureField | undefined {
  const given = (fields as CaptureField[]).filter((field) => CAPTURE_FIELDS[field] !== undefined);
  return (
    given.find((field) => mentions(error.message, CAPTURE_FIELDS[field].flag)) ??
    given.find((field) => mentions(error.message, field)) ??
    given.find((field) => mentions(error.hint, CAPTURE_FIELDS[field].flag))
  );
}
