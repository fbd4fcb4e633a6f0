// `podcap capture`: parses and checks every option, then hands over to the pipeline. Nothing
// here talks to a cluster or a node.

import { type Command, Option } from "commander";
import type { CaptureRequest } from "../capture/capture-pod.js";
import { DEFAULT_INTERFACE } from "../capture/tcpdump-args.js";
import type { OutputTarget } from "../deliver/sinks.js";
import { assertBundleBeside } from "../netns/capture-bundle.js";
import { assertBundleFits, type CaptureFlags, outputTarget, podCaptureOptions } from "./capture-options.js";
import {
  addDetachOptions,
  assertNoDetachOptions,
  type DetachFlags,
  detachedInvocation,
} from "./detach-options.js";
import { isOnePod, manyInvocation } from "./many-invocation.js";
import { addNodeOptions } from "./node-options.js";
import { runCapture } from "./run-capture.js";
import { runCaptureMany } from "./run-capture-many.js";
import { runDetachedCapture } from "./run-detached-capture.js";

export type { CaptureFlags } from "./capture-options.js";

export interface CaptureInvocation {
  request: CaptureRequest;
  output?: OutputTarget;
  inventory?: string;
  json: boolean;
  insecureAcceptHostKey: boolean;
  skipAccessCheck: boolean;
  /** Also collect a context bundle next to the pcap (`podcap bundle`'s files). */
  bundle?: boolean;
}

/** Flags -> a checked one-pod request; throws UsageError with a hint for anything off. */
export function captureInvocation(pod: string, flags: CaptureFlags): CaptureInvocation {
  const output = outputTarget(flags);
  const options = podCaptureOptions(flags, output);
  if (flags.bundle) assertBundleBeside(output);
  return {
    request: {
      pod,
      namespace: flags.namespace,
      context: flags.context,
      kubeconfig: flags.kubeconfig,
      container: flags.container,
      ...options,
    },
    output,
    inventory: flags.inventory,
    json: flags.json ?? false,
    insecureAcceptHostKey: flags.insecureAcceptHostKey ?? false,
    skipAccessCheck: flags.skipAccessCheck ?? false,
    ...(flags.bundle ? { bundle: true } : {}),
  };
}

export function addCaptureCommand(program: Command): void {
  const capture = program
    .command("capture")
    .description(
      "capture pods' traffic from their nodes (tcpdump in each pod's network namespace, over SSH): one pod to a pcap, many to one pcapng",
    )
    .argument(
      "[targets...]",
      "pods (NAME, pod/NAME), workloads (deploy/, sts/, ds/, rs/, job/NAME) or services (svc/NAME)",
    )
    .option("-n, --namespace <ns>", "namespace (default: the context's)")
    .option("--context <name>", "kubeconfig context (default: the current one)")
    .option("--kubeconfig <file>", "kubeconfig file (default: KUBECONFIG, then ~/.kube/config)")
    .option(
      "-c, --container <name>",
      "container whose process is used (default: the app container, not a sidecar)",
    )
    .option(
      "-i, --interface <iface>",
      `interface in the pod: eth0, lo, any (default: "${DEFAULT_INTERFACE}"); with --where node alone, the node's`,
    )
    .option(
      "--where <points>",
      "where on the path: pod (default), veth (its host end), node[:IFACE] (default route's), any; several give one pcapng: --where pod,veth",
    )
    .option("-f, --filter <bpf>", "tcpdump filter expression, e.g. 'tcp port 80'")
    .option("--port <n>", "only this port (combines with -f)")
    .addOption(
      new Option("--proto <proto>", "only this protocol (combines with -f)").choices(["tcp", "udp", "icmp"]),
    )
    .option("-d, --duration <duration>", "stop after this long: 30s, 5m, 1h")
    .option("--count <n>", "stop after this many packets")
    .option("--max-size <size>", "stop before the file passes this size: 10MB, 1GiB")
    .option("-s, --snaplen <bytes>", "bytes kept of each packet (default 262144)")
    .option("-o, --output <file>", "write here; - for standard output (default ./NS_POD_TIME.pcap)")
    .option("--wireshark", "open the capture live in Wireshark")
    .option("--immediate", "hand each packet over at once (live views; costs more at high rates)");
  addNodeOptions(capture)
    .option("-l, --selector <selector>", "every pod with these labels: -l app=web")
    .option("--node <node>", "only pods on this node; alone, every pod on it")
    .option("-A, --all-namespaces", "with -l or --node: look in every namespace")
    .option("--split", "one pcap per pod (in the -o directory) instead of one merged pcapng")
    .option("--follow", "pods that start matching join the capture; restarted containers are re-attached")
    .option("--skip-access-check", "skip the RBAC review before SSH (only where the inventory allows it)")
    .option(
      "--bundle",
      "one pod: also collect a context bundle (podcap bundle) next to the pcap, as it starts",
    )
    .option("--json", "print one JSON object at the end instead of text");
  addDetachOptions(capture).action(
    async (targets: string[], flags: CaptureFlags & DetachFlags, command: Command) => {
      const debug = Boolean(command.optsWithGlobals().debug);
      if (!flags.detach) assertNoDetachOptions(flags);
      assertBundleFits(flags, isOnePod(targets, flags));
      process.exitCode = flags.detach
        ? await runDetachedCapture(detachedInvocation(targets, flags, command), debug)
        : isOnePod(targets, flags)
          ? await runCapture(captureInvocation(targets[0] as string, flags), debug)
          : await runCaptureMany(manyInvocation(targets, flags), debug);
    },
  );
}
