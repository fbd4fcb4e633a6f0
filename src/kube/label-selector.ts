// Label selectors as the API takes them in `labelSelector=`: a workload's structured selector
// written out, and the user's `-l` checked for what a selector can hold before it is sent.

import type { V1LabelSelector } from "@kubernetes/client-node";
import { printable } from "../capture/printable.js";
import { UsageError } from "../errors.js";

/** matchLabels and matchExpressions -> `a=b,c in (d,e),!f`, as kubectl writes them. */
export function selectorString(selector: V1LabelSelector): string {
  const terms = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    if (operator === "In") terms.push(`${key} in (${values.join(",")})`);
    else if (operator === "NotIn") terms.push(`${key} notin (${values.join(",")})`);
    else if (operator === "Exists") terms.push(key);
    else if (operator === "DoesNotExist") terms.push(`!${key}`);
    else
      throw new UsageError(
        `unknown selector operator ${printable(operator)}`,
        "the workload's selector is not one podcap can read",
      );
  }
  return terms.join(",");
}

// Keys (prefix/name), values, the operators =, ==, !=, in, notin, ! and the list punctuation.
const SELECTOR_CHARACTERS = /^[A-Za-z0-9._\-/=!,() ]{1,1024}$/;

/** The user's `-l`: refused here when it holds what no selector can, the rest is the API's to judge. */
export function assertSelector(selector: string): string {
  if (!SELECTOR_CHARACTERS.test(selector) || selector.trim() === "") {
    throw new UsageError(
      `invalid label selector ${printable(selector)}`,
      "write it as kubectl takes it: -l app=web, -l 'tier in (web,api)', -l app=web,track!=canary",
    );
  }
  return selector;
}
