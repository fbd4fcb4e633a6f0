// The fields a runbook may hold at a path, read off the zod schema itself, so an unknown field's
// hint ("did you mean duration?") can never drift from what the schema accepts.

import type * as z from "zod";
import type { PathKey } from "./runbook-variables.js";

type Def = { type: string; shape?: Record<string, z.ZodType>; [key: string]: unknown };
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Optional, preprocess and transform wrappers off: the schema that says which keys exist. */
function unwrap(schema: z.ZodType): z.ZodType {
  const def = defOf(schema);
  if (def.type === "optional" || def.type === "nullable") return unwrap(def.innerType as z.ZodType);
  if (def.type === "pipe") {
    const out = def.out as z.ZodType;
    return defOf(out).type === "transform" ? unwrap(def.in as z.ZodType) : unwrap(out);
  }
  return schema;
}

export function knownFields(schema: z.ZodType, path: readonly PathKey[]): string[] {
  let node = unwrap(schema);
  for (const key of path) {
    const def = defOf(node);
    if (def.type === "object" && typeof key === "string" && def.shape?.[key]) node = unwrap(def.shape[key]);
    else if (def.type === "array" && typeof key === "number") node = unwrap(def.element as z.ZodType);
    else if (def.type === "record") node = unwrap(def.valueType as z.ZodType);
    else return [];
  }
  const def = defOf(node);
  return def.type === "object" ? Object.keys(def.shape ?? {}) : [];
}

/** The known field an unknown one is most likely a typo of: at most two edits away. */
export function closestField(unknown: string, known: readonly string[]): string | undefined {
  let best: { field: string; distance: number } | undefined;
  for (const field of known) {
    const distance = editDistance(unknown.toLowerCase(), field.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { field, distance };
  }
  return best?.field;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length] as number;
}
