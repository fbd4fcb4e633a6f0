// ${var} in a runbook: defaults from its `vars`, overridden by `--var k=v`. Every string value
// outside `vars` is substituted; `$${` writes a literal `${`. A variable used without a value is
// an error at the place it is used, never an empty string that changes what a capture means.

import { printable } from "../capture/printable.js";
import { UsageError } from "../errors.js";
import { VAR_NAME } from "./runbook-schema.js";

export type PathKey = string | number;

export interface Unresolved {
  path: PathKey[];
  name: string;
  why: "unknown" | "no-value" | "bad-name";
}

/** `--var k=v` (repeatable) -> { k: v }; the value may hold `=`. */
export function parseVarFlags(flags: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    const key = eq === -1 ? flag : flag.slice(0, eq);
    if (eq === -1 || !VAR_NAME.test(key))
      throw new UsageError(
        `invalid --var ${printable(flag, 60)}`,
        "write it as --var NAME=VALUE, e.g. --var duration=5s",
      );
    vars[key] = flag.slice(eq + 1);
  }
  return vars;
}

/** The values the run uses: defaults, then overrides, which must name declared variables. */
export function resolveVars(
  declared: Record<string, string | number | boolean | null>,
  overrides: Record<string, string>,
): Record<string, string | undefined> {
  for (const key of Object.keys(overrides))
    if (!(key in declared))
      throw new UsageError(
        `--var ${key}: the runbook has no variable ${key}`,
        Object.keys(declared).length > 0
          ? `it declares ${Object.keys(declared).join(", ")}`
          : "declare it under vars: in the runbook first",
      );
  return Object.fromEntries(
    Object.entries(declared).map(([key, value]) => [
      key,
      overrides[key] ?? (value === null ? undefined : String(value)),
    ]),
  );
}

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;

/** Substitutes in every string of `value`; what cannot be resolved is listed with its path. */
export function substitute(
  value: unknown,
  vars: Record<string, string | undefined>,
  path: PathKey[] = [],
  unresolved: Unresolved[] = [],
): { value: unknown; unresolved: Unresolved[] } {
  const walk = (node: unknown, at: PathKey[]): unknown => {
    if (typeof node === "string")
      return node.replace(REFERENCE, (match, name: string | undefined) => {
        if (match === "$${") return "${";
        const key = (name ?? "").trim();
        if (!VAR_NAME.test(key)) unresolved.push({ path: at, name: key, why: "bad-name" });
        else if (!(key in vars)) unresolved.push({ path: at, name: key, why: "unknown" });
        else if (vars[key] === undefined) unresolved.push({ path: at, name: key, why: "no-value" });
        else return vars[key] as string;
        return match;
      });
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...at, index]));
    if (node && typeof node === "object")
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, [...at, key])]));
    return node;
  };
  return { value: walk(value, path), unresolved };
}

export function describeUnresolved(
  problem: Unresolved,
  declared: readonly string[],
): { message: string; hint: string } {
  const ref = `\${${problem.name}}`;
  if (problem.why === "bad-name")
    return {
      message: `${printable(ref, 40)} is not a variable reference`,
      hint: "a variable name is letters, digits and _; write $${ for a literal ${",
    };
  if (problem.why === "no-value")
    return { message: `variable ${ref} has no value`, hint: `give it one: --var ${problem.name}=VALUE` };
  return {
    message: `unresolved variable ${ref}`,
    hint:
      declared.length > 0
        ? `declare it under vars: (there are ${declared.join(", ")})`
        : "declare it under vars: with a default",
  };
}
