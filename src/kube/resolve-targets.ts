// The resolve stage for many pods: names, workloads, services, `-l` and `--node` -> the running
// pods they mean, each with the reasons the others were left out. A target that cannot be
// resolved is reported, never fatal for the rest; every refusal happens before any SSH.

import { AppsV1Api, BatchV1Api, type V1LabelSelector, type V1Pod } from "@kubernetes/client-node";
import { isPodcapError, type PodcapError, PodNotFound } from "../errors.js";
import { isNotFound, type Kube, kubeError } from "./kube-client.js";
import { selectorString } from "./label-selector.js";
import { describeRef, type TargetRef } from "./target-ref.js";

export interface TargetQuery {
  refs: TargetRef[];
  /** `-l`: pods with these labels (in the namespace, or every namespace with -A). */
  selector?: string;
  /** `--node`: only pods on this node; with no refs and no -l, every pod there. */
  node?: string;
  allNamespaces: boolean;
  namespace: string;
}

export interface TargetProblem {
  /** What the user named, or the pod's namespace/name. */
  target: string;
  error: PodcapError;
}

export interface FoundPod {
  pod: V1Pod;
  /** Named by the user (NAME, pod/NAME) rather than picked by a selector: it must be capturable. */
  named: boolean;
}

/** A pod list query to watch for pods that start matching later (--follow). */
export interface PodWatch {
  /** Undefined: every namespace. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ResolvedTargets {
  pods: FoundPod[];
  problems: TargetProblem[];
  watches: PodWatch[];
}

const podKey = (pod: V1Pod) => `${pod.metadata?.namespace}/${pod.metadata?.name}`;

export async function resolveTargets(kube: Kube, query: TargetQuery): Promise<ResolvedTargets> {
  const found = new Map<string, FoundPod>();
  const problems: TargetProblem[] = [];
  const nodeField = query.node ? `spec.nodeName=${query.node}` : undefined;
  const watches: PodWatch[] = [];
  const add = (pods: V1Pod[], named: boolean) => {
    for (const pod of pods) {
      if (query.node === undefined || pod.spec?.nodeName === query.node)
        found.set(podKey(pod), { pod, named });
    }
  };
  for (const ref of query.refs) {
    try {
      const { pods, labelSelector } = await podsOfRef(kube, ref, query.namespace);
      if (pods.length === 0) throw noPods(describeRef(ref), query.namespace);
      add(pods, ref.kind === "pod");
      const fields = [ref.kind === "pod" ? `metadata.name=${ref.name}` : undefined, nodeField].filter(
        Boolean,
      );
      watches.push({
        namespace: query.namespace,
        labelSelector,
        fieldSelector: fields.join(",") || undefined,
      });
    } catch (error) {
      problems.push({ target: describeRef(ref), error: asPodcapError(error, kube) });
    }
  }
  if (query.refs.length === 0) {
    const pods = await listPods(kube, query);
    if (pods.length === 0) {
      const what = [query.selector && `-l ${query.selector}`, query.node && `--node ${query.node}`]
        .filter(Boolean)
        .join(" ");
      problems.push({ target: what, error: noPods(what, query.allNamespaces ? undefined : query.namespace) });
    }
    add(pods, false);
    watches.push({
      namespace: query.allNamespaces ? undefined : query.namespace,
      labelSelector: query.selector,
      fieldSelector: nodeField,
    });
  }
  return { pods: [...found.values()], problems, watches };
}

function noPods(what: string, namespace: string | undefined): PodNotFound {
  return new PodNotFound(
    `${what} matches no pod${namespace ? ` in namespace "${namespace}"` : ""}`,
    `check with \`kubectl get pods${namespace ? ` -n ${namespace}` : " -A"} --show-labels\``,
  );
}

const asPodcapError = (error: unknown, kube: Kube) => (isPodcapError(error) ? error : kubeError(error, kube));

async function listPods(kube: Kube, query: TargetQuery): Promise<V1Pod[]> {
  const filters = {
    ...(query.selector ? { labelSelector: query.selector } : {}),
    ...(query.node ? { fieldSelector: `spec.nodeName=${query.node}` } : {}),
  };
  try {
    const list = query.allNamespaces
      ? await kube.core.listPodForAllNamespaces(filters)
      : await kube.core.listNamespacedPod({ namespace: query.namespace, ...filters });
    return list.items;
  } catch (error) {
    throw kubeError(error, kube);
  }
}

/** The pods a reference means: the pod itself, or those its workload's selector picks. */
async function podsOfRef(
  kube: Kube,
  ref: TargetRef,
  namespace: string,
): Promise<{ pods: V1Pod[]; labelSelector?: string }> {
  const params = { name: ref.name, namespace };
  try {
    if (ref.kind === "pod") return { pods: [await kube.core.readNamespacedPod(params)] };
    const labelSelector = await selectorOf(kube, ref, params);
    return { pods: (await kube.core.listNamespacedPod({ namespace, labelSelector })).items, labelSelector };
  } catch (error) {
    if (!isNotFound(error)) throw error;
    throw new PodNotFound(
      `${ref.kind} "${ref.name}" not found in namespace "${namespace}"`,
      `list them with \`kubectl get ${ref.kind} -n ${namespace}\`, or name another namespace with -n`,
    );
  }
}

async function selectorOf(kube: Kube, ref: TargetRef, params: { name: string; namespace: string }) {
  const apps = () => kube.config.makeApiClient(AppsV1Api);
  let selector: V1LabelSelector | undefined;
  if (ref.kind === "deployment") selector = (await apps().readNamespacedDeployment(params)).spec?.selector;
  else if (ref.kind === "replicaset")
    selector = (await apps().readNamespacedReplicaSet(params)).spec?.selector;
  else if (ref.kind === "statefulset")
    selector = (await apps().readNamespacedStatefulSet(params)).spec?.selector;
  else if (ref.kind === "daemonset") selector = (await apps().readNamespacedDaemonSet(params)).spec?.selector;
  else if (ref.kind === "job")
    selector = (await kube.config.makeApiClient(BatchV1Api).readNamespacedJob(params)).spec?.selector;
  else selector = { matchLabels: (await kube.core.readNamespacedService(params)).spec?.selector ?? {} };
  const text = selectorString(selector ?? {});
  if (text === "") {
    throw new PodNotFound(
      `${ref.kind} "${ref.name}" has no selector, so no pods to capture`,
      "name its pods instead, or use -l",
    );
  }
  return text;
}
