// `podcap ls | fetch | stop | clean`: the captures `capture --detach` left running on the nodes.
// Parsing only; the work is in run-captures.ts and run-fetch.ts.

import type { Command } from "commander";
import { assertCaptureId } from "../capture/detached-capture-id.js";
import { parseDuration } from "../capture/parse-duration.js";
import { assertNodeName } from "../kube/pod-ref.js";
import { type CapturesInvocation, runClean, runLs, runStop } from "./run-captures.js";
import { runFetch } from "./run-fetch.js";

interface CommonFlags {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  inventory?: string;
  insecureAcceptHostKey?: boolean;
  node?: string;
  json?: boolean;
}

function common(command: Command): Command {
  return command
    .option("--context <name>", "kubeconfig context (default: the current one)")
    .option("--kubeconfig <file>", "kubeconfig file (default: KUBECONFIG, then ~/.kube/config)")
    .option(
      "--inventory <file>",
      "node inventory (default: PODCAP_INVENTORY, then ~/.config/podcap/inventory.yaml)",
    )
    .option("--insecure-accept-host-key", "accept unknown and changed host keys (labs only)")
    .option("--json", "print JSON instead of text");
}

function invocationOf(flags: CommonFlags, command: Command): CapturesInvocation {
  const debug = Boolean(command.optsWithGlobals().debug);
  return {
    namespace: flags.namespace,
    context: flags.context,
    kubeconfig: flags.kubeconfig,
    inventory: flags.inventory,
    insecureAcceptHostKey: flags.insecureAcceptHostKey ?? false,
    node: flags.node === undefined ? undefined : assertNodeName(flags.node),
    json: flags.json ?? false,
    debug: debug ? (line) => process.stderr.write(`podcap: ${line}\n`) : undefined,
  };
}

export function addCapturesCommands(program: Command): void {
  common(program.command("ls").description("list the detached captures on the nodes"))
    .option("-n, --namespace <ns>", "captures of pods in this namespace (default: the context's)")
    .option("-A, --all-namespaces", "captures of every namespace")
    .option("-l, --selector <selector>", "captures of the pods these labels select now")
    .option("--node <node>", "ask only this node (default: every node of the cluster)")
    .action(async (flags: CommonFlags & { allNamespaces?: boolean; selector?: string }, command: Command) => {
      process.exitCode = await runLs({
        ...invocationOf(flags, command),
        allNamespaces: flags.allNamespaces ?? false,
        selector: flags.selector,
      });
    });
  common(program.command("fetch").description("download a detached capture's files (SFTP; resumes)"))
    .argument("<id>", "capture ID, as `podcap capture --detach` and `podcap ls` print it")
    .option("-o, --output <dir>", "directory to write into (default ./ID/)")
    .option("--merge", "also join the files into DIR/ID.pcapng, in time order")
    .action(
      async (id: string, flags: CommonFlags & { output?: string; merge?: boolean }, command: Command) => {
        process.exitCode = await runFetch({
          ...invocationOf(flags, command),
          id: assertCaptureId(id),
          output: flags.output,
          merge: flags.merge ?? false,
        });
      },
    );
  common(program.command("stop").description("stop a detached capture (its files stay unless --delete)"))
    .argument("<id>", "capture ID")
    .option("--delete", "also delete its files from the node")
    .action(async (id: string, flags: CommonFlags & { delete?: boolean }, command: Command) => {
      process.exitCode = await runStop(
        assertCaptureId(id),
        flags.delete ?? false,
        invocationOf(flags, command),
      );
    });
  common(
    program.command("clean").description("sweep stopped detached captures and those whose wrapper is gone"),
  )
    .option("--node <node>", "only this node (default: every node of the cluster)")
    .option("--older-than <duration>", "delete stopped captures that ended this long ago", "24h")
    .option("--all", "delete every stopped capture, however recent")
    .action(async (flags: CommonFlags & { olderThan: string; all?: boolean }, command: Command) => {
      process.exitCode = await runClean({
        ...invocationOf(flags, command),
        all: flags.all ?? false,
        olderThanSeconds: parseDuration(flags.olderThan, "--older-than"),
      });
    });
}
