// What both capture forms need around the pipeline, from the same flags: how to reach a node
// (the inventory, loaded once) and what each run owes the cluster (access review, Events, audit).

import { type CaptureRecords, captureRecords } from "../audit/capture-records.js";
import { loadInventory, locateInventory } from "../inventory/inventory-load.js";
import type { Kube } from "../kube/kube-client.js";
import { type NodeAddresses, reachNode } from "../ssh/reach-node.js";

export interface NodeAccessFlags {
  inventory?: string;
  insecureAcceptHostKey: boolean;
  skipAccessCheck: boolean;
}

export async function nodeAccess(flags: NodeAccessFlags, debug?: (line: string) => void) {
  const inventory = await loadInventory(locateInventory(flags.inventory));
  return {
    reach: (nodeName: string, addresses: NodeAddresses) =>
      reachNode(nodeName, addresses, {
        inventory,
        insecureAcceptHostKey: flags.insecureAcceptHostKey,
        debug,
      }),
    records: (kube: Kube): CaptureRecords =>
      captureRecords({ kube, inventory, skipAccessCheck: flags.skipAccessCheck, debug }),
  };
}
