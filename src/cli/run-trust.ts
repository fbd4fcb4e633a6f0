// `podcap trust NODE`: finds the node's SSH path as capture does (inventory, ~/.ssh/config, the
// Node object's InternalIP), shows each unknown host key the way ssh does, asks, and records the
// key where podcap will look for it. Returns the exit code.

import { resolve } from "node:path";
import { confirm } from "@inquirer/prompts";
import { Interrupted, UsageError } from "../errors.js";
import { type Inventory, loadInventory, locateInventory } from "../inventory/inventory-load.js";
import { inventoryEntryFor } from "../inventory/node-entry-match.js";
import { type NodeAddress, resolveSshTarget } from "../inventory/resolve-ssh-target.js";
import { loadSshConfig } from "../inventory/ssh-config-file.js";
import type { SshTarget } from "../inventory/ssh-target.js";
import { connectKube } from "../kube/kube-client.js";
import { lookupNodeAddresses } from "../kube/node-addresses.js";
import { fingerprintLine, openSshKeyTypeName } from "../ssh/host-key-display.js";
import { type HopTrust, type SeenHostKey, trustNode } from "../ssh/trust-node.js";

export interface TrustInvocation {
  node: string;
  inventory?: string;
  yes: boolean;
  /** Check and record the node's key in this file instead (like ssh -o UserKnownHostsFile). */
  knownHosts?: string;
  context?: string;
  kubeconfig?: string;
}

export interface TrustIo {
  /** One line for the user (stderr on the command line). */
  say(line: string): void;
  /** Undefined when nobody can be asked (no terminal). */
  ask?: (question: string) => Promise<boolean>;
  debug?: (line: string) => void;
}

// A node name, ssh_config Host alias or address: nothing a shell or ssh option parser could misread.
const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

async function nodeAddresses(invocation: TrustInvocation, inventory: Inventory, io: TrustIo) {
  // An address the inventory names wins over anything the API would say.
  if (inventoryEntryFor(inventory, invocation.node).entry.host) return [];
  const explicit = invocation.kubeconfig !== undefined || invocation.context !== undefined;
  let kube: ReturnType<typeof connectKube>;
  try {
    kube = connectKube({ kubeconfig: invocation.kubeconfig, context: invocation.context });
  } catch (error) {
    if (explicit) throw error;
    io.debug?.(`no kubeconfig for the node's address: ${(error as Error).message}`);
    return [];
  }
  const lookup = await lookupNodeAddresses(kube, invocation.node);
  if ("missing" in lookup) io.say(`note: ${lookup.missing}; reaching ${invocation.node} by that name`);
  return lookup.addresses satisfies NodeAddress[];
}

/** --known-hosts replaces the node's own files; podcap's captures read them only if the inventory says so. */
function withKnownHosts(target: SshTarget, file: string | undefined, io: TrustIo): SshTarget {
  if (file === undefined) return target;
  const path = resolve(file);
  if (!target.knownHostsFiles.includes(path)) {
    io.say(
      `note: podcap reads ${target.knownHostsFiles.join(", ")} for ${target.nodeName}, not ${path}: ` +
        "add it to the node's knownHosts in the inventory for captures to use it",
    );
  }
  return { ...target, knownHostsFiles: [path] };
}

function confirmer(invocation: TrustInvocation, io: TrustIo) {
  return async (seen: SeenHostKey): Promise<boolean> => {
    io.say(`The authenticity of ${seen.label} can't be established.`);
    io.say(fingerprintLine(seen.keyType, seen.fingerprint));
    if (invocation.yes) return true;
    if (!io.ask) {
      throw new UsageError(
        "cannot ask whether to trust this key: there is no terminal",
        `check the fingerprint with the node's admin, then run \`podcap trust ${invocation.node} --yes\``,
      );
    }
    return io.ask(`Trust this key and record it in ${seen.file} as ${seen.name}?`);
  };
}

function reportLine(trust: HopTrust): string {
  const key = `${openSshKeyTypeName(trust.keyType)} key ${trust.fingerprint}`;
  if (trust.status === "recorded")
    return `Recorded the ${key} of ${trust.label} in ${trust.file} as ${trust.name}.`;
  const where = trust.line === undefined ? trust.file : `${trust.file}:${trust.line}`;
  return `The ${key} of ${trust.label} is already trusted (${where}); nothing changed.`;
}

export async function runTrust(invocation: TrustInvocation, io: TrustIo): Promise<number> {
  if (!NODE_NAME.test(invocation.node)) {
    throw new UsageError(
      `invalid node name ${JSON.stringify(invocation.node.slice(0, 60))}`,
      "name a node as `kubectl get nodes` shows it, or a Host of ~/.ssh/config",
    );
  }
  const inventory = await loadInventory(locateInventory(invocation.inventory));
  const addresses = await nodeAddresses(invocation, inventory, io);
  const resolved = resolveSshTarget(invocation.node, addresses, inventory, loadSshConfig());
  const target = withKnownHosts(resolved, invocation.knownHosts, io);
  const timeoutSeconds = inventory.settings.ssh?.connectTimeoutSeconds;
  await trustNode(target, {
    confirm: confirmer(invocation, io),
    report: (trust) => io.say(reportLine(trust)),
    hashKnownHosts: inventory.settings.ssh?.hashKnownHosts ?? false,
    ...(timeoutSeconds ? { readyTimeoutMs: timeoutSeconds * 1000 } : {}),
    ...(io.debug ? { debug: io.debug } : {}),
  });
  return 0;
}

/** The terminal: lines on stderr, the question through @inquirer/prompts when stdin is a TTY. */
export function terminalIo(debug: boolean): TrustIo {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const ask = async (message: string) => {
    try {
      return await confirm({ message, default: false }, { output: process.stderr });
    } catch (error) {
      if ((error as Error).name === "ExitPromptError") {
        throw new Interrupted("interrupted: nothing was written", "run podcap trust again to decide");
      }
      throw error;
    }
  };
  return {
    say,
    ...(process.stdin.isTTY && process.stderr.isTTY ? { ask } : {}),
    ...(debug ? { debug: (line: string) => say(`debug: ${line}`) } : {}),
  };
}
