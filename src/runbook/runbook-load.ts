// Reads RUNBOOK.yaml: YAML with positions, `vars` checked and resolved (--var overrides), ${var}
// substituted, then the schema. Every error names the file, the line and the field, with a hint
// (ConfigInvalid, exit 2); the first in the file is reported, the others counted in the hint.

import { readFile } from "node:fs/promises";
import type { LineCounter, Document as YamlDocument } from "yaml";
import type * as z from "zod";
import { ConfigInvalid } from "../errors.js";
import {
  formatPath,
  locatePath,
  parseYamlSource,
  positionText,
  type SourcePosition,
} from "../inventory/yaml-issue-location.js";
import { type Runbook, runbookSchema, STEP_KINDS, varsSchema } from "./runbook-schema.js";
import { describeUnresolved, type PathKey, resolveVars, substitute } from "./runbook-variables.js";
import { closestField, knownFields } from "./schema-fields.js";

export interface LoadedRunbook {
  file: string;
  runbook: Runbook;
  /** The values the run uses, after --var. */
  vars: Record<string, string | undefined>;
  /** A ConfigInvalid that points at `path` in the source: `file:line:col: path: message`. */
  refuse(path: readonly PathKey[], message: string, hint: string, cause?: unknown): ConfigInvalid;
}

const HINT = "see the Runbooks section of README.md and the examples in runbooks/";

interface Problem {
  path: PathKey[];
  message: string;
  hint: string;
  /** For an unknown field: the position is the key's, not its map's. */
  unknownKey?: string;
}

const isStepPath = (path: readonly PathKey[]) =>
  typeof path.at(-1) === "number" && (path.at(-2) === "steps" || path.at(-2) === "parallel");

function schemaProblem(issue: z.core.$ZodIssue): Problem {
  const path = issue.path as PathKey[];
  if (issue.code !== "unrecognized_keys")
    return { path, message: issue.message.replace(/^Invalid input: /, ""), hint: HINT };
  const [key = ""] = issue.keys;
  const known = knownFields(runbookSchema, path);
  const suggestion = closestField(key, known);
  const what = isStepPath(path) ? `unknown step kind ${JSON.stringify(key)}` : "unknown field";
  const listed = isStepPath(path)
    ? `a step is one of ${STEP_KINDS.join(", ")} (and a name)`
    : `known here: ${known.join(", ")}`;
  return {
    path: [...path, key],
    message: what,
    hint: suggestion ? `did you mean ${suggestion}? ${listed}` : listed,
    unknownKey: key,
  };
}

function refusal(document: YamlDocument, lines: LineCounter, file: string) {
  const locate = (problem: Problem): SourcePosition => {
    const path = problem.unknownKey === undefined ? problem.path : problem.path.slice(0, -1);
    return locatePath(document, lines, path, problem.unknownKey) ?? { line: 0, col: 0 };
  };
  const text = (problem: Problem) =>
    `${positionText(file, locate(problem))}${problem.path.length ? `: ${formatPath(problem.path)}` : ""}: ${problem.message}`;
  return (problems: Problem[], cause?: unknown): ConfigInvalid => {
    const sorted = problems
      .map((problem) => ({ problem, at: locate(problem) }))
      .sort((a, b) => a.at.line - b.at.line || a.at.col - b.at.col)
      .map(({ problem }) => problem);
    const [first, ...others] = sorted as [Problem, ...Problem[]];
    const more = others.length > 0 ? ` (and ${others.length} more: ${others.map(text).join("; ")})` : "";
    return new ConfigInvalid(text(first), `${first.hint}${more}`, { cause });
  };
}

export function parseRunbook(source: string, file: string, overrides: Record<string, string>): LoadedRunbook {
  const { document, lines } = parseYamlSource(source, file);
  const refuse = refusal(document, lines, file);
  const raw = (document.toJS() ?? {}) as Record<string, unknown>;
  if (typeof raw !== "object" || Array.isArray(raw))
    throw refuse([{ path: [], message: "a runbook is a map (name, targets, steps, ...)", hint: HINT }]);
  const declared = varsSchema.safeParse(raw.vars ?? {});
  if (!declared.success)
    throw refuse(
      declared.error.issues.map((issue) => schemaProblem({ ...issue, path: ["vars", ...issue.path] })),
    );
  const vars = resolveVars(declared.data, overrides);
  const { vars: literalVars, ...rest } = raw;
  const substituted = substitute(rest, vars);
  if (substituted.unresolved.length > 0)
    throw refuse(
      substituted.unresolved.map((problem) => ({
        path: problem.path,
        ...describeUnresolved(problem, Object.keys(vars)),
      })),
    );
  const parsed = runbookSchema.safeParse({ ...(substituted.value as object), vars: literalVars });
  if (!parsed.success) throw refuse(parsed.error.issues.map(schemaProblem), parsed.error);
  return {
    file,
    runbook: parsed.data,
    vars,
    refuse: (path, message, hint, cause) => refuse([{ path: [...path], message, hint }], cause),
  };
}

export async function loadRunbook(file: string, overrides: Record<string, string>): Promise<LoadedRunbook> {
  let source: string;
  try {
    source = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigInvalid(
      `cannot read runbook ${file}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
      "name a runbook file: podcap run runbooks/dns-trouble.yaml",
      { cause: error },
    );
  }
  return parseRunbook(source, file, overrides);
}
