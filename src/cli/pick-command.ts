// `podcap pick` (and `podcap` alone on a terminal): questions instead of flags. The picker and its
// terminal libraries are loaded when the command runs, not at every start.

import type { Command } from "commander";
import { addNodeOptions } from "./node-options.js";

export interface PickFlags {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  inventory?: string;
  nodeLimit: string;
  insecureAcceptHostKey?: boolean;
}

export function addPickCommand(program: Command): void {
  const pick = program
    .command("pick")
    .description(
      "pick a pod and how to capture it, question by question (what podcap alone does on a terminal)",
    )
    .option("-n, --namespace <ns>", "namespace to preselect (default: the context's)")
    .option("--context <name>", "kubeconfig context to preselect (default: the current one)")
    .option("--kubeconfig <file>", "kubeconfig file (default: KUBECONFIG, then ~/.kube/config)");
  addNodeOptions(pick).action(async (flags: PickFlags, command: Command) => {
    const globals = command.optsWithGlobals();
    const { pickAndCapture } = await import("./pick-and-capture.js");
    process.exitCode = await pickAndCapture(flags, {
      interactive: globals.interactive !== false,
      debug: Boolean(globals.debug),
    });
  });
}
