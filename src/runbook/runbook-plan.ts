// Runbook + variables -> the steps to run, checked, without touching a cluster or a node (pure).
// Each capture step becomes the very invocation `podcap capture` would build from its flags
// (many-invocation.ts, detach-options.ts), so their checks are the runbook's; a refusal is
// re-pointed at the runbook line of the field (or target) it is about.

import { parseDuration } from "../capture/parse-duration.js";
import type { DetachedRequest } from "../capture/start-detached-capture.js";
import { tcpdumpArgvFor } from "../capture/start-pod-capture.js";
import { assertNoDetachOptions, detachedRequest } from "../cli/detach-options.js";
import { type ManyInvocation, manyInvocation } from "../cli/many-invocation.js";
import { isPodcapError } from "../errors.js";
import { assertNamespace } from "../kube/pod-ref.js";
import { assertCommand } from "../netns/exec-in-pod.js";
import { type CaptureField, fieldNamedIn, type StepFlags, stepFlags } from "./capture-fields.js";
import type { LoadedRunbook } from "./runbook-load.js";
import type { RunbookLeafStep, RunbookStep, RunbookTarget } from "./runbook-schema.js";
import type { PathKey } from "./runbook-variables.js";

/** What the command line says for every step: the kube and node options of `podcap run`. */
export interface RunFlags {
  context?: string;
  kubeconfig?: string;
  inventory?: string;
  insecureAcceptHostKey?: boolean;
  skipAccessCheck?: boolean;
  /** --node-limit, only when the user gave it: the default of each step's node-limit. */
  nodeLimit?: string;
}

export interface PlannedTarget {
  name: string;
  /** What `podcap capture` would have been given: names, then -n, -l, --node, -A, -c. */
  names: string[];
  flags: Pick<StepFlags, "namespace" | "selector" | "node" | "allNamespaces" | "container">;
  query: ManyInvocation["request"]["query"];
  namespace?: string;
}

interface Common {
  name: string;
  path: PathKey[];
}
export type PlannedStep = Common &
  (
    | { kind: "capture"; target: PlannedTarget; invocation: ManyInvocation; where?: string }
    | { kind: "detach"; target: PlannedTarget; flags: StepFlags; request: DetachedRequest }
    | { kind: "exec"; target: PlannedTarget; argv: string[]; timeoutSeconds: number }
    | { kind: "bundle"; target: PlannedTarget }
    | { kind: "wait"; seconds: number }
    | { kind: "fetch"; from: string; merge: boolean; stop: boolean; remove: boolean }
    | { kind: "parallel"; steps: PlannedStep[] }
  );

export interface RunPlan {
  name: string;
  description?: string;
  file: string;
  vars: Record<string, string | undefined>;
  steps: PlannedStep[];
  /** Every target a step uses, by name. */
  targets: Map<string, PlannedTarget>;
  afterSeconds?: number;
  onFailure: boolean;
  flags: RunFlags;
  refuse: LoadedRunbook["refuse"];
}

const DEFAULT_EXEC_TIMEOUT = "30s";

export function planRunbook(loaded: LoadedRunbook, flags: RunFlags): RunPlan {
  const { runbook, refuse } = loaded;
  /** Runs a check of podcap's own; its refusal is re-pointed at `path` (or the field it names). */
  const checked = <T>(path: PathKey[], fields: readonly string[], check: () => T): T => {
    try {
      return check();
    } catch (error) {
      if (!isPodcapError(error)) throw error;
      const field = fieldNamedIn(error, fields);
      throw refuse(field ? [...path, field] : path, error.message, error.hint, error);
    }
  };
  const targets = new Map<string, PlannedTarget>();
  const targetNamed = (name: string, path: PathKey[]): PlannedTarget => {
    const spec: RunbookTarget | undefined = runbook.targets[name];
    if (!spec)
      throw refuse(
        path,
        `unknown target ${JSON.stringify(name)}`,
        `the runbook's targets are ${Object.keys(runbook.targets).join(", ") || "none"}`,
      );
    const planned = targets.get(name) ?? planTarget(name, spec, runbook.namespace, flags, checked);
    targets.set(name, planned);
    return planned;
  };
  const names = new Set<string>();
  const detached = new Set<string>();
  let leaves = 0;
  const named = (given: string | undefined, fallback: string, path: PathKey[]) => {
    const name = given ?? fallback;
    if (names.has(name))
      throw refuse(
        [...path, "name"],
        `a second step named ${JSON.stringify(name)}`,
        "give each step its own name: fetch steps and files are named after them",
      );
    names.add(name);
    return name;
  };
  const leaf = (step: RunbookLeafStep, path: PathKey[]): PlannedStep => {
    leaves += 1;
    if (step.capture) {
      const at = [...path, "capture"];
      const { target: targetName, ...values } = step.capture;
      const target = targetNamed(targetName, [...at, "target"]);
      const captureFlags: StepFlags = {
        ...stepFlags({ ...(flags.nodeLimit ? { "node-limit": flags.nodeLimit } : {}), ...values }),
        ...target.flags,
        ...kubeFlags(flags),
      };
      const fields = Object.keys(values) as CaptureField[];
      if (captureFlags.detach) {
        const request = checked(at, fields, () =>
          detachedRequest(captureFlags, values["node-limit"] !== undefined || flags.nodeLimit !== undefined),
        );
        const name = named(step.name, `detach-${leaves}`, path);
        detached.add(name);
        return { kind: "detach", name, path, target, flags: captureFlags, request };
      }
      const invocation = checked(at, fields, () => {
        assertNoDetachOptions(captureFlags);
        const many = manyInvocation(target.names, captureFlags);
        tcpdumpArgvFor(many.request.capture);
        return many;
      });
      return {
        kind: "capture",
        name: named(step.name, `capture-${leaves}`, path),
        path,
        target,
        invocation,
        where: captureFlags.where,
      };
    }
    if (step.exec) {
      const at = [...path, "exec"];
      const target = targetNamed(step.exec.target, [...at, "target"]);
      const timeoutSeconds = checked([...at, "timeout"], [], () =>
        parseDuration(step.exec?.timeout ?? DEFAULT_EXEC_TIMEOUT, "timeout"),
      );
      const command = step.exec.command;
      const argv = checked([...at, "command"], [], () => [...assertCommand(command)]);
      return {
        kind: "exec",
        name: named(step.name, `exec-${leaves}`, path),
        path,
        target,
        argv,
        timeoutSeconds,
      };
    }
    if (step.bundle) {
      const target = targetNamed(step.bundle.target, [...path, "bundle", "target"]);
      return { kind: "bundle", name: named(step.name, `bundle-${leaves}`, path), path, target };
    }
    if (step.wait !== undefined) {
      const wait = step.wait;
      const seconds = checked([...path, "wait"], [], () => parseDuration(wait, "wait"));
      return { kind: "wait", name: named(step.name, `wait-${leaves}`, path), path, seconds };
    }
    const fetch = step.fetch as NonNullable<RunbookLeafStep["fetch"]>;
    if (!detached.has(fetch.from))
      throw refuse(
        [...path, "fetch", "from"],
        `no earlier capture step named ${JSON.stringify(fetch.from)} with detach: true`,
        detached.size > 0
          ? `the detached captures before it are ${[...detached].join(", ")}`
          : "fetch takes the files of a detached capture started by an earlier step",
      );
    return {
      kind: "fetch",
      name: named(step.name, `fetch-${leaves}`, path),
      path,
      from: fetch.from,
      merge: fetch.merge ?? true,
      stop: fetch.stop ?? false,
      remove: fetch.delete ?? false,
    };
  };
  let groups = 0;
  const steps = runbook.steps.map((step: RunbookStep, index): PlannedStep => {
    const path: PathKey[] = ["steps", index];
    if (!step.parallel) return leaf(step, path);
    groups += 1;
    const name = named(step.name, `parallel-${groups}`, path);
    // Siblings run at the same time: one cannot fetch what another starts.
    const before = new Set(detached);
    const children = step.parallel.map((child, i) => {
      const planned = leaf(child, [...path, "parallel", i]);
      if (planned.kind === "fetch" && !before.has(planned.from))
        throw refuse(
          [...path, "parallel", i, "fetch", "from"],
          `${planned.from} runs in the same parallel group`,
          "fetch it in a later step",
        );
      return planned;
    });
    return { kind: "parallel", name, path, steps: children };
  });
  const after = runbook.stop?.after;
  return {
    name: runbook.name,
    description: runbook.description,
    file: loaded.file,
    vars: loaded.vars,
    steps,
    targets,
    afterSeconds:
      after === undefined
        ? undefined
        : checked(["stop", "after"], [], () => parseDuration(after, "stop.after")),
    onFailure: runbook.stop?.["on-failure"] ?? false,
    flags,
    refuse,
  };
}

const kubeFlags = (flags: RunFlags) => ({
  context: flags.context,
  kubeconfig: flags.kubeconfig,
  inventory: flags.inventory,
  insecureAcceptHostKey: flags.insecureAcceptHostKey,
  skipAccessCheck: flags.skipAccessCheck,
  json: true,
});

function planTarget(
  name: string,
  spec: RunbookTarget,
  defaultNamespace: string | undefined,
  flags: RunFlags,
  checked: <T>(path: PathKey[], fields: readonly string[], check: () => T) => T,
): PlannedTarget {
  const namespace = spec.namespace ?? defaultNamespace;
  const names = spec.names === undefined ? [] : [spec.names].flat();
  const targetFlags = {
    namespace,
    selector: spec.selector,
    node: spec.node,
    allNamespaces: spec["all-namespaces"] || undefined,
    container: spec.container,
  };
  const path = ["targets", name];
  // The target alone through capture's own checks: names, -l, --node, -A, -n and their mix.
  const query = checked(path, [], () => {
    if (namespace !== undefined) assertNamespace(namespace);
    return manyInvocation(names, { ...stepFlags({}), ...targetFlags, ...kubeFlags(flags) }).request.query;
  });
  return { name, names, flags: targetFlags, query, namespace };
}
