// `podcap run RUNBOOK.yaml`: parsing only; the run is src/runbook/run-runbook.ts.

import type { Command } from "commander";
import { addNodeOptions } from "./node-options.js";

interface RunFlags {
  var: string[];
  dryRun?: boolean;
  json?: boolean;
  output?: string;
  context?: string;
  kubeconfig?: string;
  inventory?: string;
  nodeLimit: string;
  insecureAcceptHostKey?: boolean;
  skipAccessCheck?: boolean;
}

export function addRunCommand(program: Command): void {
  const run = program
    .command("run")
    .description("run a capture runbook (YAML: targets, steps, variables) into one output directory")
    .argument("<runbook>", "the runbook file, e.g. runbooks/dns-trouble.yaml")
    .option(
      "--var <name=value>",
      "set a variable of the runbook (repeatable)",
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option("--dry-run", "print what would run where (pods, nodes, argv); touch no node")
    .option("-o, --output <dir>", "the run's directory (default ./NAME-TIME/)")
    .option("--context <name>", "kubeconfig context (default: the current one)")
    .option("--kubeconfig <file>", "kubeconfig file (default: KUBECONFIG, then ~/.kube/config)");
  addNodeOptions(run)
    .option("--skip-access-check", "skip the RBAC review before SSH (only where the inventory allows it)")
    .option("--json", "print one JSON object at the end (manifest.json, or the dry run) instead of text")
    .action(async (file: string, flags: RunFlags, command: Command) => {
      // Loaded here: the runbook runner draws with listr2, which a capture loads only on a terminal.
      const { runRunbook } = await import("../runbook/run-runbook.js");
      process.exitCode = await runRunbook({
        file,
        vars: flags.var,
        dryRun: flags.dryRun ?? false,
        json: flags.json ?? false,
        output: flags.output,
        context: flags.context,
        kubeconfig: flags.kubeconfig,
        inventory: flags.inventory,
        insecureAcceptHostKey: flags.insecureAcceptHostKey,
        skipAccessCheck: flags.skipAccessCheck,
        // Each step's own node-limit wins; the flag is their default only when given.
        nodeLimit: command.getOptionValueSource("nodeLimit") === "default" ? undefined : flags.nodeLimit,
        debug: Boolean(command.optsWithGlobals().debug),
      });
    });
}
