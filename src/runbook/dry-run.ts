// --dry-run: what each step would run where, with the targets resolved through the kube API (to
// pods and their nodes) and the argv each node would be given; no SSH at all. What only the node
// can say shows as a placeholder: the container's PID, the host end of its veth (VETH), the
// interface of the node's default route (NODE-IFACE).

import { newDetachedCaptureId } from "../capture/detached-capture-id.js";
import { detachedTcpdumpArgv } from "../capture/detached-tcpdump-args.js";
import { tcpdumpArgvFor } from "../capture/start-pod-capture.js";
import { type VantagePoint, vantageLabel } from "../capture/vantage.js";
import type { PodTarget } from "../kube/pod-target.js";
import { bundleCommands } from "../netns/bundle-commands.js";
import { quote } from "../ssh/quote.js";
import type { PlannedStep, RunPlan } from "./runbook-plan.js";
import { stepTitle } from "./step-titles.js";

const withFilter = (argv: string[], filter: string) => (filter ? [...argv, "--", filter] : argv);
const inNetns = (argv: string[]) => ["nsenter", "-n", "-t", "PID", "--", ...argv];

/** One command a node would run, and what it is (a vantage point, a bundle file, exec). */
interface DryCommand {
  label: string;
  argv: string[];
}

interface DryStep {
  name: string;
  kind: string;
  title: string;
  target?: string;
  pods?: { namespace: string; pod: string; node: string; container: string; commands: DryCommand[] }[];
  steps?: DryStep[];
}

const nodeInterface = (point: VantagePoint) =>
  point.vantage === "veth" ? "VETH" : (point.iface ?? "NODE-IFACE");

function commandsOf(step: PlannedStep, pod: PodTarget): DryCommand[] {
  if (step.kind === "capture") {
    const { capture, where = [{ vantage: "pod", iface: capture.iface }] } = step.invocation.request;
    return where.map((point) => {
      const argv = withFilter(
        tcpdumpArgvFor({ ...capture, iface: point.vantage === "pod" ? capture.iface : nodeInterface(point) }),
        capture.filter,
      );
      return { label: vantageLabel(point), argv: point.vantage === "pod" ? inNetns(argv) : argv };
    });
  }
  if (step.kind === "detach") {
    const { iface, snaplen, rotation, filter } = step.request;
    const id = newDetachedCaptureId(pod.nodeName);
    return [
      {
        label: "detached",
        argv: inNetns(withFilter(detachedTcpdumpArgv(id, { iface, snaplen }, rotation), filter)),
      },
    ];
  }
  if (step.kind === "exec") return [{ label: "exec", argv: inNetns(step.argv) }];
  if (step.kind === "bundle")
    return bundleCommands(pod.podIP).map((c) => ({
      label: c.file,
      argv: c.where === "pod" ? inNetns(c.argv) : c.argv,
    }));
  return [];
}

function dryStep(step: PlannedStep, pods: Map<string, PodTarget[]>): DryStep {
  const base = {
    name: step.name,
    kind: step.kind === "detach" ? "capture" : step.kind,
    title: stepTitle(step),
  };
  if (step.kind === "parallel") return { ...base, steps: step.steps.map((s) => dryStep(s, pods)) };
  if (step.kind === "wait" || step.kind === "fetch") return base;
  return {
    ...base,
    target: step.target.name,
    pods: (pods.get(step.target.name) ?? []).map((pod) => ({
      namespace: pod.namespace,
      pod: pod.name,
      node: pod.nodeName,
      container: pod.container.name,
      commands: commandsOf(step, pod),
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
  const stop = [plan.afterSeconds && `after ${plan.afterSeconds}s`, plan.onFailure && "on the first failure"];
  if (stop.some(Boolean)) lines.push(`  the run stops ${stop.filter(Boolean).join(" or ")}`);
  const add = (step: DryStep, first: string, indent: string) => {
    lines.push(`${first}${step.title}`);
    for (const child of step.steps ?? []) add(child, `${indent}- `, `${indent}  `);
    for (const pod of step.pods ?? []) {
      lines.push(`${indent}${pod.namespace}/${pod.pod} on ${pod.node} (container ${pod.container})`);
      for (const command of pod.commands) lines.push(`${indent}  ${command.label}: ${quote(command.argv)}`);
    }
  };
  dryRunJson(plan, pods).steps.forEach((step, index) => {
    add(step, `  ${index + 1}. `, "     ");
  });
  return lines;
}
