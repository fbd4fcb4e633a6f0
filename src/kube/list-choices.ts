// What the picker offers to choose from: the kubeconfig's contexts, a context's namespaces and
// a namespace's pods, read with client-node as kubectl would read them.

import type { V1Pod } from "@kubernetes/client-node";
import { connectKube, type Kube, type KubeOptions, kubeError } from "./kube-client.js";

export interface KubeContexts {
  names: string[];
  current: string;
}

export function kubeconfigContexts(options: KubeOptions): KubeContexts {
  const kube = connectKube(options);
  return { names: kube.config.getContexts().map((c) => c.name), current: kube.context };
}

export async function namespaceNames(kube: Kube): Promise<string[]> {
  try {
    const list = await kube.core.listNamespace();
    return list.items
      .map((ns) => ns.metadata?.name ?? "")
      .filter((name) => name !== "")
      .sort();
  } catch (error) {
    throw kubeError(error, kube);
  }
}

export async function podsIn(kube: Kube, namespace: string): Promise<V1Pod[]> {
  try {
    const list = await kube.core.listNamespacedPod({ namespace });
    return list.items.sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""));
  } catch (error) {
    throw kubeError(error, kube);
  }
}
