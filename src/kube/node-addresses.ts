// A node's addresses by its name, for commands that start from a node rather than a pod
// (`podcap trust NODE`). The API is a help here, not a requirement: a node named only in the
// inventory or ~/.ssh/config (or a cluster that is down) still gets an answer, with the reason.

import type { NodeAddress } from "../inventory/resolve-ssh-target.js";
import { isNotFound, type Kube, kubeError } from "./kube-client.js";

export type NodeAddressLookup = { addresses: NodeAddress[] } | { addresses: []; missing: string };

const LOOKUP_TIMEOUT_MS = 5_000;

export async function lookupNodeAddresses(
  kube: Kube,
  nodeName: string,
  timeoutMs = LOOKUP_TIMEOUT_MS,
): Promise<NodeAddressLookup> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const node = await Promise.race([kube.core.readNode({ name: nodeName }), late]);
    const addresses = (node.status?.addresses ?? []).map(({ type, address }) => ({ type, address }));
    return addresses.length > 0
      ? { addresses }
      : { addresses: [], missing: "the Node object lists no address" };
  } catch (error) {
    if (isNotFound(error)) return { addresses: [], missing: `no node "${nodeName}" in the cluster` };
    return { addresses: [], missing: kubeError(error, kube).message };
  } finally {
    clearTimeout(timer);
  }
}
