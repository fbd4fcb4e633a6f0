// The reach stage in one call: inventory + ~/.ssh/config + the node's addresses -> SshTarget,
// then a connected session. Commands that reach several nodes should share a SessionPool.
// The addresses may come as a lookup: it is made only when neither the inventory nor
// ~/.ssh/config names the host, one API round trip less before the SSH connection otherwise.

import { type Inventory, loadInventory, locateInventory } from "../inventory/inventory-load.js";
import { type NodeAddress, namesNodeHost, resolveSshTarget } from "../inventory/resolve-ssh-target.js";
import { loadSshConfig, type SshConfig } from "../inventory/ssh-config-file.js";
import type { SshTarget } from "../inventory/ssh-target.js";
import { connectNode } from "./connect-node.js";
import type { NodeSession } from "./node-session.js";

/** The Node object's addresses, or how to ask the API for them. */
export type NodeAddresses = readonly NodeAddress[] | (() => Promise<readonly NodeAddress[]>);

export interface ReachOptions {
  /** `--inventory`; else $PODCAP_INVENTORY, else ~/.config/podcap/inventory.yaml. */
  inventoryPath?: string | undefined;
  /** Already loaded: then inventoryPath is not read again. */
  inventory?: Inventory | undefined;
  insecureAcceptHostKey?: boolean | undefined;
  debug?: ((line: string) => void) | undefined;
}

export async function reachNode(
  nodeName: string,
  addresses: NodeAddresses,
  options: ReachOptions = {},
): Promise<{ target: SshTarget; connection: NodeSession }> {
  const inventory = options.inventory ?? (await loadInventory(locateInventory(options.inventoryPath)));
  const sshConfig = loadSshConfig();
  const known = await addressesIfNeeded(nodeName, addresses, inventory, sshConfig);
  const target = resolveSshTarget(nodeName, known, inventory, sshConfig);
  const jumps = target.jump.map((hop) => `${hop.user}@${hop.host}:${hop.port}`).join(" -> ");
  options.debug?.(
    `reach ${nodeName}: ${target.user}@${target.host}:${target.port}${jumps ? ` via ${jumps}` : ""}` +
      ` (inventory ${inventory.file ?? "none"}, sudo ${target.sudo})`,
  );
  const timeoutSeconds = inventory.settings.ssh?.connectTimeoutSeconds;
  const connection = await connectNode(target, {
    ...(options.insecureAcceptHostKey ? { insecureAcceptHostKey: true } : {}),
    ...(options.debug ? { debug: options.debug } : {}),
    ...(timeoutSeconds ? { readyTimeoutMs: timeoutSeconds * 1000 } : {}),
  });
  return { target, connection };
}

/** The addresses; a lookup is made only when the inventory and ~/.ssh/config do not name the host. */
async function addressesIfNeeded(
  nodeName: string,
  addresses: NodeAddresses,
  inventory: Inventory,
  sshConfig: SshConfig,
): Promise<readonly NodeAddress[]> {
  if (typeof addresses !== "function") return addresses;
  return namesNodeHost(nodeName, inventory, sshConfig) ? [] : addresses();
}
