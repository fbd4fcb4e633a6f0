// `podcap trust NODE`: the explicit first contact with a node's SSH host key (and its jump
// hosts'), since captures themselves refuse unknown keys like StrictHostKeyChecking yes.

import type { Command } from "commander";

interface TrustFlags {
  inventory?: string;
  yes?: boolean;
  knownHosts?: string;
  context?: string;
  kubeconfig?: string;
}

export function addTrustCommand(program: Command): void {
  program
    .command("trust")
    .description("show a node's SSH host key fingerprint and, once confirmed, record it in known_hosts")
    .argument("<node>", "node name (as `kubectl get nodes` shows it) or a Host of ~/.ssh/config")
    .option(
      "--inventory <file>",
      "node inventory (default: PODCAP_INVENTORY, then ~/.config/podcap/inventory.yaml)",
    )
    .option("--yes", "record unknown keys without asking (check the fingerprints another way first)")
    .option("--known-hosts <file>", "check and record the node's key in this file instead")
    .option("--context <name>", "kubeconfig context, for the node's address (default: the current one)")
    .option("--kubeconfig <file>", "kubeconfig file (default: KUBECONFIG, then ~/.kube/config)")
    .action(async (node: string, flags: TrustFlags, command: Command) => {
      const debug = Boolean(command.optsWithGlobals().debug);
      // Loaded here: its confirmation prompt brings @inquirer/prompts, which a capture never needs.
      const { runTrust, terminalIo } = await import("./run-trust.js");
      process.exitCode = await runTrust(
        {
          node,
          yes: flags.yes ?? false,
          ...(flags.inventory ? { inventory: flags.inventory } : {}),
          ...(flags.knownHosts ? { knownHosts: flags.knownHosts } : {}),
          ...(flags.context ? { context: flags.context } : {}),
          ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
        },
        terminalIo(debug),
      );
    });
}
