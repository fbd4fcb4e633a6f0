// node name + the node's addresses + inventory + ~/.ssh/config -> how to reach the node.

import { ConfigInvalid } from "../errors.js";
import type { Inventory } from "./inventory-load.js";
import type { HopEntry } from "./inventory-schema.js";
import { parseHopSpec, parseProxyJump } from "./jump-spec.js";
import { type LocalEnvironment, localEnvironment } from "./local-environment.js";
import { inventoryEntryFor } from "./node-entry-match.js";
import { type ResolveContext, resolveEndpoint } from "./resolve-endpoint.js";
import type { SshConfig } from "./ssh-config-file.js";
import { hasHostBlock, lookupSshConfig } from "./ssh-config-lookup.js";
import type { HopTarget, SshTarget } from "./ssh-target.js";

/** As in the Node object's status.addresses. */
export interface NodeAddress {
  type: string;
  address: string;
}

// Deep enough for real bastion chains, shallow enough to stop a ProxyJump loop.
const MAX_JUMP_DEPTH = 8;

/** The address podcap dials when nothing names one: InternalIP, else Hostname. */
export function nodeDialAddress(addresses: readonly NodeAddress[]): string | undefined {
  for (const type of ["InternalIP", "Hostname"]) {
    const found = addresses.find((address) => address.type === type && address.address !== "");
    if (found) return found.address;
  }
  return undefined;
}

function resolveJumps(
  hops: readonly HopEntry[],
  inherit: HopTarget,
  context: ResolveContext,
  depth: number,
): HopTarget[] {
  if (depth > MAX_JUMP_DEPTH) {
    throw new ConfigInvalid(
      `jump hosts nest more than ${MAX_JUMP_DEPTH} deep`,
      "check ProxyJump in ~/.ssh/config and `jump` in the inventory for a loop",
    );
  }
  return hops.flatMap((entry) => {
    const { host, ...fields } = typeof entry === "string" ? parseHopSpec(entry) : entry;
    // The hop's host is a name to look up in ~/.ssh/config, like the argument of `ssh -J`.
    const { hop, proxyJump } = resolveEndpoint(
      { configName: host, fallbackHost: host, fields, inherit },
      context,
    );
    const nested = proxyJump ? resolveJumps(parseProxyJump(proxyJump), inherit, context, depth + 1) : [];
    return [...nested, hop];
  });
}

/**
 * Whether the inventory (`host`) or ~/.ssh/config (a Host block for the name, with a HostName)
 * says where to dial the node: then its Node object's addresses are of no use.
 */
export function namesNodeHost(
  nodeName: string,
  inventory: Inventory,
  sshConfig: SshConfig,
  env: LocalEnvironment = localEnvironment(),
): boolean {
  if (inventoryEntryFor(inventory, nodeName).entry.host) return true;
  return (
    hasHostBlock(sshConfig, nodeName) && lookupSshConfig(sshConfig, nodeName, env).hostName !== undefined
  );
}

export function resolveSshTarget(
  nodeName: string,
  nodeAddresses: readonly NodeAddress[],
  inventory: Inventory,
  sshConfig: SshConfig,
  env: LocalEnvironment = localEnvironment(),
): SshTarget {
  const { entry } = inventoryEntryFor(inventory, nodeName);
  const address = nodeDialAddress(nodeAddresses) ?? nodeName;
  // Like `ssh NODE` when the user configured that name, else like `ssh ADDRESS`.
  const configName = hasHostBlock(sshConfig, nodeName) ? nodeName : (entry.host ?? address);
  const context: ResolveContext = { sshConfig, env, baseDir: inventory.baseDir };
  const { hop, proxyJump } = resolveEndpoint({ configName, fallbackHost: address, fields: entry }, context);
  const jumpEntries = entry.jump ?? (proxyJump ? parseProxyJump(proxyJump) : []);
  const jump = resolveJumps(jumpEntries, hop, context, 1);
  return {
    ...hop,
    nodeName,
    jump,
    // A non-root login cannot enter namespaces or run tcpdump without sudo.
    sudo: entry.sudo ?? hop.user !== "root",
    runtimes: entry.runtimes ?? [],
    sockets: entry.sockets ?? {},
    tcpdumpPath: entry.tcpdumpPath ?? "tcpdump",
  };
}
