// `podcap exec`, `podcap shell` and `podcap bundle`: the pod's network namespace entered from
// its node for more than tcpdump (seeds/000 and 001). Thin: flags -> a request for src/netns/.

import type { Command } from "commander";
import { defaultOutputFileName } from "../capture/output-file-name.js";
import { parseDuration } from "../capture/parse-duration.js";
import { ExitCode } from "../errors.js";
import { connectKube } from "../kube/kube-client.js";
import { collectBundle } from "../netns/collect-bundle.js";
import { assertCommand, execInPod } from "../netns/exec-in-pod.js";
import type { PodNetnsRequest } from "../netns/pod-on-node.js";
import { assertTerminal, shellInPod } from "../netns/pod-shell.js";
import { bundleSummaryLine } from "../ui/bundle-summary.js";
import { createProgress } from "../ui/progress.js";
import { handleInterrupts } from "./interrupts.js";
import { addNodeOptions } from "./node-options.js";
import { podOptions } from "./pod-options.js";

interface NetnsFlags {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  container?: string;
  inventory?: string;
  nodeLimit: string;
  insecureAcceptHostKey?: boolean;
  skipAccessCheck?: boolean;
}

function addPodFlags(command: Command): Command {
  command
    .argument("<pod>", "the pod (NAME or pod/NAME)")
    .option("-n, --namespace <ns>", "namespace (default: the context's)")
    .option("--context <name>", "kubeconfig context (default: the current one)")
    .option("--kubeconfig <file>", "kubeconfig file (default: KUBECONFIG, then ~/.kube/config)")
    .option("-c, --container <name>", "container whose process is used (all share the pod's network)");
  return addNodeOptions(command).option(
    "--skip-access-check",
    "skip the RBAC review before SSH (only where the inventory allows it)",
  );
}

function netnsRequest(pod: string, flags: NetnsFlags, debug: boolean): PodNetnsRequest {
  return {
    ...podOptions(pod, flags),
    ...(debug ? { debug: (line: string) => process.stderr.write(`podcap: ${line}\n`) } : {}),
  };
}

const isDebug = (command: Command) => Boolean(command.optsWithGlobals().debug);

export function addNetnsCommands(program: Command): void {
  addPodFlags(
    program
      .command("exec")
      .description(
        "run a node command in a pod's network namespace (nsenter -n): ip, ss, iptables, conntrack, dig... exits with its code",
      )
      .usage("[options] <pod> -- <command> [args...]"),
  )
    .argument("[command...]", "the command and its arguments, after --")
    .option("-i, --stdin", "pass standard input to the command (else it reads nothing)")
    .action(
      async (pod: string, argv: string[], flags: NetnsFlags & { stdin?: boolean }, command: Command) => {
        assertCommand(argv);
        const limitSeconds = parseDuration(flags.nodeLimit, "--node-limit");
        const interrupts = handleInterrupts();
        try {
          process.exitCode = await execInPod(
            { ...netnsRequest(pod, flags, isDebug(command)), command: argv, limitSeconds },
            {
              stdout: process.stdout,
              stderr: process.stderr,
              ...(flags.stdin ? { stdin: process.stdin } : {}),
              onRunning: (stop) => interrupts.capturing(stop, stop),
            },
          );
        } finally {
          interrupts.dispose();
        }
      },
    );

  addPodFlags(
    program
      .command("shell")
      .description("an interactive shell on the pod's node, in the pod's network namespace (like e_net.sh)"),
  ).action(async (pod: string, flags: NetnsFlags, command: Command) => {
    assertTerminal({ stdin: process.stdin, stdout: process.stdout });
    process.exitCode = await shellInPod(netnsRequest(pod, flags, isDebug(command)));
  });

  addPodFlags(
    program
      .command("bundle")
      .description(
        "collect a context bundle: addresses, routes, rules, neighbours, iptables, conntrack, sockets and sysctls of the pod's and the node's network, plus the pod's spec and status",
      ),
  )
    .option("-o, --output <dir>", "a new or empty directory (default ./NS_POD_TIME.bundle)")
    .option("--json", "print manifest.json on standard output as well")
    .action(
      async (pod: string, flags: NetnsFlags & { output?: string; json?: boolean }, command: Command) => {
        const debug = isDebug(command);
        const request = netnsRequest(pod, flags, debug);
        const dir =
          flags.output ??
          defaultOutputFileName(
            flags.namespace ?? connectKube(request).namespace,
            pod.replace(/^pod\//, ""),
            new Date(),
          ).replace(/\.pcap$/, ".bundle");
        const progress = await createProgress({ quiet: flags.json ?? false, debug });
        const interrupts = handleInterrupts();
        try {
          const manifest = await collectBundle({ ...request, debug: (line) => progress.debug(line) }, dir, {
            onStage: (stage, detail) => progress.stage(stage, detail),
          });
          await progress.done();
          process.stderr.write(`${bundleSummaryLine(manifest, dir)}\n`);
          if (flags.json) process.stdout.write(`${JSON.stringify(manifest)}\n`);
          process.exitCode = manifest.problem ? ExitCode.captureFailed : ExitCode.ok;
        } catch (error) {
          await progress.fail();
          throw error;
        } finally {
          interrupts.dispose();
        }
      },
    );
}
