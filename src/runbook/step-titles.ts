// One line per step, as listr2's task titles and the dry run show it: what runs, on what.

import { quote } from "../ssh/quote.js";
import type { PlannedStep, PlannedTarget } from "./runbook-plan.js";

export function describeTarget(target: PlannedTarget): string {
  const { flags } = target;
  const parts = [
    ...target.names,
    flags.selector && `-l ${flags.selector}`,
    flags.node && `--node ${flags.node}`,
    flags.allNamespaces ? "-A" : flags.namespace && `-n ${flags.namespace}`,
    flags.container && `-c ${flags.container}`,
  ].filter(Boolean);
  return `${target.name} (${parts.join(" ")})`;
}

export function stepTitle(step: PlannedStep): string {
  switch (step.kind) {
    case "capture": {
      const { capture } = step.invocation.request;
      const bits = [
        capture.filter && `'${capture.filter}'`,
        `on ${capture.iface}`,
        step.where && `at ${step.where}`,
        capture.durationSeconds && `for ${capture.durationSeconds}s`,
        step.invocation.request.follow && "following",
      ].filter(Boolean);
      return `${step.name}: capture ${describeTarget(step.target)} ${bits.join(" ")}`;
    }
    case "detach": {
      const { filter, rotation, limitSeconds } = step.request;
      return `${step.name}: detached capture of ${describeTarget(step.target)}${filter ? ` '${filter}'` : ""}, ${rotation.keepFiles} files, at most ${limitSeconds}s`;
    }
    case "exec":
      return `${step.name}: exec on ${describeTarget(step.target)}: ${quote(step.argv)}`;
    case "bundle":
      return `${step.name}: bundle of ${describeTarget(step.target)}`;
    case "wait":
      return `${step.name}: wait ${step.seconds}s`;
    case "fetch":
      return `${step.name}: fetch ${step.from}${step.stop ? " (stopped first)" : ""}${step.merge ? ", merged" : ""}${step.remove ? ", deleted from the node" : ""}`;
    case "parallel":
      return `${step.name}: ${step.steps.length} steps at once`;
  }
}
