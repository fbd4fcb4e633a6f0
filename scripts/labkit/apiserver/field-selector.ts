// The `fieldSelector` query parameter (k8s.io/apimachinery/pkg/fields): `a=b,c!=d`, only on the
// few fields each resource indexes. Asking for another field is a 400, as on a real cluster, so a
// typo in podcap's selectors fails here instead of silently matching everything.

import { SelectorSyntaxError } from "./label-selector.js";

export interface FieldRequirement {
  field: string;
  negated: boolean;
  value: string;
}

/** The fields a resource indexes, each with how to read it off an object. */
export type SelectableFields<T> = Record<string, (object: T) => string>;

// Values may escape the separators with a backslash (`a=x\,y`), so split by hand.
function splitUnescaped(input: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < input.length; i++) {
    const ch = input.charAt(i);
    if (ch === "\\" && i + 1 < input.length) {
      current += ch + input.charAt(++i);
    } else if (ch === separator) {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

const unescapeValue = (text: string) => text.replace(/\\(.)/g, "$1");

export function parseFieldSelector(selector: string): FieldRequirement[] {
  if (selector.trim() === "") return [];
  return splitUnescaped(selector, ",").map((term) => {
    const match = /^([^=!]*?)\s*(!=|==|=)\s*(.*)$/.exec(term.trim());
    if (match === null || match[1] === "") {
      throw new SelectorSyntaxError(`invalid selector: '${selector}'; can't understand '${term}'`);
    }
    return { field: match[1] ?? "", negated: match[2] === "!=", value: unescapeValue(match[3] ?? "") };
  });
}

/**
 * Turns a selector into a predicate. Throws SelectorSyntaxError for a field the resource does not
 * index, like the apiserver ("field label not supported").
 */
export function compileFieldSelector<T>(
  selector: string,
  fields: SelectableFields<T>,
): (object: T) => boolean {
  const requirements = parseFieldSelector(selector).map((requirement) => {
    const read = Object.hasOwn(fields, requirement.field) ? fields[requirement.field] : undefined;
    if (read === undefined) throw new SelectorSyntaxError(`field label not supported: ${requirement.field}`);
    return { ...requirement, read };
  });
  return (object) => requirements.every(({ read, negated, value }) => (read(object) === value) !== negated);
}
