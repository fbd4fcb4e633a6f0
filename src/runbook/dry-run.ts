// --dry-run: what each step would run where, with the targets resolved through the kube API (to
// pods and their nodes) and the argv each node would be given; no SSH at all. The PID is the
// one thing only the node can say, so it shows as PID.

import { newDetachedCaptureId } from "../capture/detached-capture-id.js";
import { detachedTcpdumpArgv } from "../capture/detached-tcpdump-args.js";
import { tcpdumpArgvFor } from "../capture/start-pod-capture.js";
import type { PodTarget } from "../kube/pod-target.js";
import { bundleCommands } from "../netns/bundle-commands.js";
import { quote } from "../ssh/quote.js";
import type { PlannedStep, RunPlan } from "./runbook-plan.js";
import { stepTitle } from "./step-titles.js";

const withFilter = (argv: string[], filter: string) => (filter ? [...argv, "--", filter] : argv);
const inNetns = (argv: string[]) => ["nsenter", "-n", "-t", "PID", "--", ...argv];

interface DryStep {
  name: string;
  kind: string;
  title: string;
  target?: string;
  pods?: {
    namespace: string;
    pod: string;
    node: string;
    container: string;
    argv?: string[];
    /** A bundle's commands: in the pod's namespace, then the node's. */
    commands?: { file: string; argv: string[] }[];
  }[];
  argv?: string[];
  steps?: DryStep[];
}

function dryStep(step: PlannedStep, pods: Map<string, PodTarget[]>): DryStep {
  const base = {
    name: step.name,
    kind: step.kind === "detach" ? "capture" : step.kind,
    title: stepTitle(step),
  };
  if (step.kind === "parallel") return { ...base, steps: step.steps.map((s) => dryStep(s, pods)) };
  if (step.kind === "wait" || step.kind === "fetch") return base;
  const argvFor = (pod: PodTarget): string[] | undefined => {
    if (step.kind === "capture")
      return inNetns(
        withFilter(tcpdumpArgvFor(step.invocation.request.capture), step.invocation.request.capture.filter),
      );
    if (step.kind === "detach") {
      const { iface, snaplen, rotation, filter } = step.request;
      return inNetns(
        withFilter(
          detachedTcpdumpArgv(newDetachedCaptureId(pod.nodeName), { iface, snaplen }, rotation),
          filter,
        ),
      );
    }
    if (step.kind === "exec") return inNetns(step.argv);
    return undefined;
  };
  const commandsFor = (pod: PodTarget) =>
    step.kind === "bundle"
      ? bundleCommands(pod.podIP).map((c) => ({
          file: c.file,
          argv: c.where === "pod" ? inNetns(c.argv) : c.argv,
        }))
      : undefined;
  return {
    ...base,
    target: step.target.name,
    pods: (pods.get(step.target.name) ?? []).map((pod) => ({
      namespace: pod.namespace,
      pod: pod.name,
      node: pod.nodeName,
      container: pod.container.name,
      argv: argvFor(pod),
      commands: commandsFor(pod),
    })),
  };
}

export function dryRunJson(plan: RunPlan, pods: Map<string, PodTarget[]>) {
  return {
    dryRun: true,
    runbook: { name: plan.name, file: plan.file },
    vars: plan.vars,
    stop: { afterSeconds: plan.afterSeconds ?? null, onFailure: plan.onFailure },
    steps: plan.steps.map((step) => dryStep(step, pods)),
  };
}

export function dryRunLines(plan: RunPlan, pods: Map<string, PodTarget[]>): string[] {
  const lines = [`runbook ${plan.name} (${plan.file}), nothing is run (--dry-run):`];
  const stop = [
    plan.afterSeconds && `after ${plan.afterSeconds}s`,
    plan.onFailure && "on the first failure",
  ].filter(Boolean);
  if (stop.length > 0) lines.push(`  the run stops ${stop.join(" or ")}`);
  const add = (step: DryStep, first: string, indent: string) => {
    lines.push(`${first}${step.title}`);
    for (const child of step.steps ?? []) add(child, `${indent}- `, `${indent}  `);
    for (const pod of step.pods ?? [])
      lines.push(
        `${indent}${pod.namespace}/${pod.pod} on ${pod.node} (container ${pod.container})${pod.argv ? `: ${quote(pod.argv)}` : ""}`,
        ...(pod.commands ?? []).map((c) => `${indent}  ${c.file}: ${quote(c.argv)}`),
      );
  };
  dryRunJson(plan, pods).steps.forEach((step, index) => {
    add(step, `  ${index + 1}. `, "     ");
  });
  return lines;
}
