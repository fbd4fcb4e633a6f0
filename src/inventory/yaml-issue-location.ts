// Points a schema issue at the YAML source: zod speaks in paths (`nodes.node-a.port`), users
// read line numbers.

import { isMap, isScalar, LineCounter, type Node, parseDocument, type Document as YamlDocument } from "yaml";
import { ConfigInvalid } from "../errors.js";

export interface SourcePosition {
  line: number;
  col: number;
}

type PathKey = string | number;

function nodeAt(document: YamlDocument, path: readonly PathKey[]): Node | undefined {
  const found = path.length === 0 ? document.contents : document.getIn(path, true);
  return found && typeof found === "object" && "range" in found ? (found as Node) : undefined;
}

function keyNodeOf(map: Node, key: PathKey): Node | undefined {
  if (!isMap(map)) return undefined;
  const pair = map.items.find((item) => isScalar(item.key) && item.key.value === key);
  return pair && isScalar(pair.key) ? pair.key : undefined;
}

/**
 * Where a path is written: the value itself, or for an unknown key the key; a path that does not
 * exist in the source (a missing field) points at its nearest existing parent.
 */
export function locatePath(
  document: YamlDocument,
  lines: LineCounter,
  path: readonly PathKey[],
  unknownKey?: string,
): SourcePosition | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = nodeAt(document, path.slice(0, depth));
    if (!node) continue;
    const target = (depth === path.length && unknownKey !== undefined && keyNodeOf(node, unknownKey)) || node;
    const offset = target.range?.[0];
    return offset === undefined ? undefined : lines.linePos(offset);
  }
  return undefined;
}

/** `nodes.node-a.jump[0].port`: a path as the user would point at it. */
export function formatPath(path: readonly PathKey[]): string {
  return path
    .map((key, index) => (typeof key === "number" ? `[${key}]` : index === 0 ? key : `.${key}`))
    .join("");
}

/** `file:line:col`, or the file alone when the position is unknown. */
export const positionText = (file: string, position: SourcePosition | undefined) =>
  position?.line ? `${file}:${position.line}:${position.col}` : file;

/** Parses YAML keeping positions; a syntax error names the file and line (exit 2). */
export function parseYamlSource(text: string, file: string): { document: YamlDocument; lines: LineCounter } {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  const yamlError = document.errors[0];
  if (yamlError) {
    const reason = yamlError.message.split("\n")[0] ?? yamlError.code;
    throw new ConfigInvalid(
      `invalid YAML in ${positionText(file, yamlError.linePos?.[0])}: ${reason}`,
      "fix the YAML syntax at that line",
    );
  }
  return { document, lines };
}
