// The resolve stage: one pod reference -> where it runs, its container's ID and how to ask for
// the node's addresses. Every refusal here happens before any SSH connection is opened.

import type { V1ContainerStatus, V1NodeAddress, V1Pod } from "@kubernetes/client-node";
import { chooseContainerName } from "../capture/default-container.js";
import { PodNotFound, PodNotRunning } from "../errors.js";
import { isNotFound, type Kube, kubeError } from "./kube-client.js";
import { assertNamespace, parsePodRef } from "./pod-ref.js";
import type { ContainerRef, ContainerScheme, PodTarget } from "./pod-target.js";

export interface ResolvedPod {
  target: PodTarget;
  /** Asked only when needed (reach-node.ts): the inventory usually names the host. */
  nodeAddresses: () => Promise<V1NodeAddress[]>;
  pod: V1Pod;
}

const SCHEMES: Record<string, ContainerScheme> = {
  docker: "docker",
  containerd: "containerd",
  "cri-o": "cri-o",
};

export function containerRef(status: V1ContainerStatus): ContainerRef {
  const [scheme = "", id = ""] = (status.containerID ?? "").split("://");
  return {
    name: status.name,
    id,
    scheme: SCHEMES[scheme] ?? "unknown",
    ready: status.ready,
    restartCount: status.restartCount,
  };
}

export async function resolvePod(
  kube: Kube,
  ref: string,
  namespaceOption?: string,
  container?: string,
): Promise<ResolvedPod> {
  const name = parsePodRef(ref);
  const namespace = assertNamespace(namespaceOption ?? kube.namespace);
  let pod: V1Pod;
  try {
    pod = await kube.core.readNamespacedPod({ name, namespace });
  } catch (error) {
    if (!isNotFound(error)) throw kubeError(error, kube);
    throw new PodNotFound(
      `pod "${name}" not found in namespace "${namespace}"`,
      await whereElse(kube, name, namespace),
    );
  }
  const target = targetOf(pod, container);
  return { target, nodeAddresses: () => nodeAddresses(kube, pod), pod };
}

/** A hint for a pod that is not where the user looked: the namespaces where that name exists. */
async function whereElse(kube: Kube, name: string, namespace: string): Promise<string> {
  const elsewhere = await kube.core
    .listPodForAllNamespaces({ fieldSelector: `metadata.name=${name}` })
    .then((list) => list.items.map((p) => p.metadata?.namespace).filter((ns): ns is string => !!ns))
    .catch(() => [] as string[]);
  if (elsewhere.length > 0) return `it exists in namespace ${elsewhere.join(", ")}: add -n ${elsewhere[0]}`;
  return `list the pods with \`kubectl get pods -n ${namespace}\``;
}

export function targetOf(pod: V1Pod, explicitContainer?: string): PodTarget {
  const namespace = pod.metadata?.namespace ?? "";
  const name = pod.metadata?.name ?? "";
  const phase = pod.status?.phase ?? "Unknown";
  const nodeName = pod.spec?.nodeName;
  if (phase !== "Running" || !nodeName) {
    throw new PodNotRunning(
      `pod ${namespace}/${name} is ${phase}${nodeName ? "" : " and not scheduled on a node"}, not Running`,
      `only a running pod has traffic to capture: see \`kubectl describe pod ${name} -n ${namespace}\``,
    );
  }
  const chosen = chooseContainerName(
    {
      metadata: { annotations: pod.metadata?.annotations },
      spec: { containers: pod.spec?.containers ?? [] },
    },
    explicitContainer,
  );
  const containers = (pod.status?.containerStatuses ?? []).map(containerRef);
  const status = pod.status?.containerStatuses?.find((s) => s.name === chosen);
  const container = containers.find((c) => c.name === chosen);
  if (!status?.state?.running || !container?.id) {
    const waiting =
      status?.state?.waiting?.reason ?? (status?.state?.terminated ? "terminated" : "not started");
    throw new PodNotRunning(
      `container ${chosen} of pod ${namespace}/${name} is not running (${waiting})`,
      `wait for it, or pick another container with -c (${containers.map((c) => c.name).join(", ")})`,
    );
  }
  return {
    namespace,
    name,
    uid: pod.metadata?.uid,
    nodeName,
    podIP: pod.status?.podIP ?? "",
    phase,
    labels: pod.metadata?.labels ?? {},
    container,
    containers,
  };
}

/** The node's addresses; when nodes may not be read (common RBAC), the pod's hostIP stands in. */
export async function nodeAddresses(kube: Kube, pod: V1Pod): Promise<V1NodeAddress[]> {
  const nodeName = pod.spec?.nodeName as string;
  const fallback = pod.status?.hostIP ? [{ type: "InternalIP", address: pod.status.hostIP }] : [];
  return kube.core
    .readNode({ name: nodeName })
    .then((node) => node.status?.addresses ?? fallback)
    .catch(() => fallback);
}
