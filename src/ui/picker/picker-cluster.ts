// The cluster as the picker sees it while a person answers: one client per context chosen, and
// the pods last listed, so the container step knows the chosen pod without asking again.

import type { V1Pod } from "@kubernetes/client-node";
import { connectKube, type Kube } from "../../kube/kube-client.js";
import { type KubeContexts, kubeconfigContexts, namespaceNames, podsIn } from "../../kube/list-choices.js";

export class PickerCluster {
  private readonly clients = new Map<string, Kube>();
  private listed: { context: string; namespace: string; pods: V1Pod[] } | undefined;

  constructor(private readonly options: { kubeconfig?: string; context?: string }) {}

  contexts(): KubeContexts {
    return kubeconfigContexts(this.options);
  }

  kube(context: string): Kube {
    let kube = this.clients.get(context);
    if (kube === undefined) {
      kube = connectKube({ kubeconfig: this.options.kubeconfig, context });
      this.clients.set(context, kube);
    }
    return kube;
  }

  namespaces(context: string): Promise<string[]> {
    return namespaceNames(this.kube(context));
  }

  async pods(context: string, namespace: string): Promise<V1Pod[]> {
    const pods = await podsIn(this.kube(context), namespace);
    this.listed = { context, namespace, pods };
    return pods;
  }

  /** A pod of the last listing; undefined when that listing was of another namespace. */
  listedPod(context: string, namespace: string, name: string): V1Pod | undefined {
    const listed = this.listed;
    if (listed?.context !== context || listed.namespace !== namespace) return undefined;
    return listed.pods.find((pod) => pod.metadata?.name === name);
  }
}
