// Reaching nodes by name for the commands that start from a capture ID or a node rather than a
// pod (ls, fetch, stop, clean): the Node object's addresses when the API has them (a node named
// only in the inventory or ~/.ssh/config still works), then reachNode as capture does.

import { type Kube, kubeError } from "../kube/kube-client.js";
import { lookupNodeAddresses } from "../kube/node-addresses.js";
import type { NodeSession } from "../ssh/node-session.js";
import { reachNode } from "../ssh/reach-node.js";

export interface NodeReachOptions {
  inventory?: string;
  insecureAcceptHostKey: boolean;
  debug?: (line: string) => void;
}

/** Runs `work` on a session to `nodeName` and always closes it. */
export async function onNode<T>(
  kube: Kube,
  nodeName: string,
  options: NodeReachOptions,
  work: (session: NodeSession) => Promise<T>,
): Promise<T> {
  const lookup = await lookupNodeAddresses(kube, nodeName);
  if ("missing" in lookup) options.debug?.(`${nodeName}: no address from the API (${lookup.missing})`);
  const { connection } = await reachNode(nodeName, lookup.addresses, {
    inventoryPath: options.inventory,
    insecureAcceptHostKey: options.insecureAcceptHostKey,
    debug: options.debug,
  });
  try {
    return await work(connection);
  } finally {
    await connection.close();
  }
}

/** Every node of the cluster, by name. */
export async function clusterNodes(kube: Kube): Promise<string[]> {
  try {
    const list = await kube.core.listNode();
    return list.items.map((node) => node.metadata?.name).filter((name): name is string => !!name);
  } catch (error) {
    throw kubeError(error, kube);
  }
}
