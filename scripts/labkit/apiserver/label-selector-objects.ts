// Selectors as objects carry them (a workload's metav1.LabelSelector, a Service's or a
// nodeSelector's plain label map): as requirements to match with, and as the text kube-apiserver
// prints for them (apimachinery's LabelSelectorAsSelector(...).String() and FormatLabels).

import type { V1LabelSelector } from "@kubernetes/client-node";
import type { LabelOperator, LabelRequirement } from "./label-selector.js";

const expressionOperators: Record<string, LabelOperator> = {
  In: "in",
  NotIn: "notin",
  Exists: "exists",
  DoesNotExist: "!",
};

/** A label map (a Service's selector, a nodeSelector) means "every one of these labels". */
export const labelRequirements = (labels: Record<string, string> | undefined): LabelRequirement[] =>
  Object.entries(labels ?? {}).map(([key, value]) => ({ key, operator: "=", values: [value] }));

export const selectorRequirements = (selector: V1LabelSelector | undefined): LabelRequirement[] => [
  ...labelRequirements(selector?.matchLabels),
  ...(selector?.matchExpressions ?? []).map((expression) => ({
    key: expression.key,
    operator: expressionOperators[expression.operator] ?? "exists",
    values: expression.values ?? [],
  })),
];

function requirementText({ key, operator, values }: LabelRequirement): string {
  const set = `(${[...values].sort().join(",")})`;
  switch (operator) {
    case "exists":
      return key;
    case "!":
      return `!${key}`;
    case "in":
    case "notin":
      return `${key} ${operator} ${set}`;
    default:
      return `${key}${operator}${values[0] ?? ""}`;
  }
}

// The selector sorts its requirements by key before printing them.
const textOf = (requirements: LabelRequirement[]) =>
  [...requirements]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(requirementText)
    .join(",");

/** `app=web,tier=frontend`, or `<none>`: a label map as `kubectl get -o wide` shows it. */
export const formatLabels = (labels: Record<string, string> | undefined) =>
  textOf(labelRequirements(labels)) || "<none>";

/** metav1.FormatLabelSelector: `app=web,env in (a,b)`, or `<none>`. */
export const formatLabelSelector = (selector: V1LabelSelector | undefined) =>
  textOf(selectorRequirements(selector)) || "<none>";
