// Finds and reads inventory.yaml: `--inventory`, else $PODCAP_INVENTORY, else
// ~/.config/podcap/inventory.yaml, which may be absent (then every node is reached with
// ~/.ssh/config and OpenSSH's defaults).

import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type * as z from "zod";
import { ConfigInvalid } from "../errors.js";
import { type InventorySettings, inventorySchema, type NodeEntry } from "./inventory-schema.js";
import { formatPath, locatePath, parseYamlSource, positionText } from "./yaml-issue-location.js";

export interface Inventory {
  /** The file read, or undefined when there was none. */
  file?: string;
  /** Relative local paths in the file are relative to this directory. */
  baseDir: string;
  defaults: NodeEntry;
  /** In file order, which decides between globs. */
  nodes: { pattern: string; entry: NodeEntry }[];
  settings: InventorySettings;
}

export interface InventoryLocation {
  path: string;
  /** Named by the user: then a missing file is an error. */
  explicit: boolean;
}

export function emptyInventory(baseDir = process.cwd()): Inventory {
  return { baseDir, defaults: {}, nodes: [], settings: {} };
}

export function locateInventory(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): InventoryLocation {
  if (flag) return { path: resolve(flag), explicit: true };
  if (env.PODCAP_INVENTORY) return { path: resolve(env.PODCAP_INVENTORY), explicit: true };
  return { path: join(home, ".config", "podcap", "inventory.yaml"), explicit: false };
}

const HINT = "see inventory.example.yaml for every field";

interface LocatedIssue {
  /** `file:line:col: path: message`. */
  text: string;
  /** Source offset order, so the first reported problem is the first in the file. */
  line: number;
  col: number;
}

function schemaFailure(issues: LocatedIssue[], cause: unknown): ConfigInvalid {
  const lines = [...issues].sort((a, b) => a.line - b.line || a.col - b.col).map((issue) => issue.text);
  const more = lines.length > 1 ? ` (and ${lines.length - 1} more)` : "";
  const hint = lines.length > 1 ? `${lines.slice(1).join("; ")}; ${HINT}` : HINT;
  return new ConfigInvalid(`invalid inventory ${lines[0]}${more}`, hint, { cause });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  return issue.code === "unrecognized_keys" ? `unknown field ${issue.keys.join(", ")}` : issue.message;
}

/** Parses inventory text; every error names the file, the line and the field. */
export function parseInventory(text: string, file: string): Inventory {
  const { document, lines: lineCounter } = parseYamlSource(text, file);
  const parsed = inventorySchema.safeParse(document.toJS() ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue): LocatedIssue => {
      const path = issue.path as (string | number)[];
      const unknownKey = issue.code === "unrecognized_keys" ? issue.keys[0] : undefined;
      const position = locatePath(document, lineCounter, path, unknownKey) ?? { line: 0, col: 0 };
      const where = positionText(file, position);
      const field = path.length ? `: ${formatPath(path)}` : "";
      return { text: `${where}${field}: ${describeIssue(issue)}`, ...position };
    });
    throw schemaFailure(issues, parsed.error);
  }
  const data = parsed.data;
  return {
    file,
    baseDir: dirname(file),
    defaults: data.defaults ?? {},
    nodes: Object.entries(data.nodes ?? {}).map(([pattern, entry]) => ({ pattern, entry: entry ?? {} })),
    settings: data.settings ?? {},
  };
}

export async function loadInventory(location: InventoryLocation): Promise<Inventory> {
  let text: string;
  try {
    text = await readFile(location.path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && !location.explicit) return emptyInventory();
    throw new ConfigInvalid(
      `cannot read inventory ${location.path}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
      "check --inventory / PODCAP_INVENTORY, or remove them to use ~/.config/podcap/inventory.yaml",
      { cause: error },
    );
  }
  return parseInventory(text, location.path);
}
