// `podcap capture`: parses and checks every option, then hands over to the pipeline. Nothing
// here talks to a cluster or a node.

import { type Command, Option } from "commander";
import { assertSafeFilter, composeFilter, parsePort, parseProtocol } from "../capture/bpf-filter.js";
import type { CaptureRequest } from "../capture/capture-pod.js";
import { parseDuration } from "../capture/parse-duration.js";
import { parseSize } from "../capture/parse-size.js";
import { printable } from "../capture/printable.js";
import { DEFAULT_INTERFACE } from "../capture/tcpdump-args.js";
import type { OutputTarget } from "../deliver/sinks.js";
import { UsageError } from "../errors.js";
import { runCapture } from "./run-capture.js";

export interface CaptureFlags {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  container?: string;
  interface: string;
  filter?: string;
  port?: string;
  proto?: string;
  duration?: string;
  count?: string;
  maxSize?: string;
  snaplen?: string;
  output?: string;
  wireshark?: boolean;
  inventory?: string;
  json?: boolean;
  insecureAcceptHostKey?: boolean;
  nodeLimit: string;
  immediate?: boolean;
}

export interface CaptureInvocation {
  request: CaptureRequest;
  output?: OutputTarget;
  inventory?: string;
  json: boolean;
  insecureAcceptHostKey: boolean;
}

function wholeNumber(text: string, flag: string): number {
  if (!/^\d{1,10}$/.test(text))
    throw new UsageError(
      `${flag} takes a whole number, got ${printable(text, 40)}`,
      `for example ${flag} 100`,
    );
  return Number(text);
}

/** Flags -> a checked request; throws UsageError with a hint for anything off. */
export function captureInvocation(pod: string, flags: CaptureFlags): CaptureInvocation {
  const filter = composeFilter({
    filter: flags.filter === undefined ? undefined : assertSafeFilter(flags.filter),
    port: flags.port === undefined ? undefined : parsePort(flags.port),
    protocol: flags.proto === undefined ? undefined : parseProtocol(flags.proto),
  });
  if (flags.output !== undefined && flags.wireshark)
    throw new UsageError("-o and --wireshark both say where the capture goes", "pick one");
  const output: OutputTarget | undefined = flags.wireshark
    ? { kind: "wireshark" }
    : flags.output === "-"
      ? { kind: "stdout" }
      : flags.output === undefined
        ? undefined
        : { kind: "file", path: flags.output };
  return {
    request: {
      pod,
      namespace: flags.namespace,
      context: flags.context,
      kubeconfig: flags.kubeconfig,
      container: flags.container,
      iface: flags.interface,
      filter: filter ?? "",
      snaplen: flags.snaplen === undefined ? undefined : wholeNumber(flags.snaplen, "-s"),
      count: flags.count === undefined ? undefined : wholeNumber(flags.count, "--count"),
      durationSeconds: flags.duration === undefined ? undefined : parseDuration(flags.duration, "-d"),
      maxBytes: flags.maxSize === undefined ? undefined : parseSize(flags.maxSize, "--max-size"),
      nodeLimitSeconds: parseDuration(flags.nodeLimit, "--node-limit"),
      immediate: flags.immediate ?? output?.kind === "wireshark",
    },
    output,
    inventory: flags.inventory,
    json: flags.json ?? false,
    insecureAcceptHostKey: flags.insecureAcceptHostKey ?? false,
  };
}

export function addCaptureCommand(program: Command): void {
  program
    .command("capture")
    .description("capture one pod's traffic from its node (tcpdump in the pod's network namespace, over SSH)")
    .argument("<pod>", "the pod: NAME or pod/NAME")
    .option("-n, --namespace <ns>", "namespace (default: the context's)")
    .option("--context <name>", "kubeconfig context (default: the current one)")
    .option("--kubeconfig <file>", "kubeconfig file (default: KUBECONFIG, then ~/.kube/config)")
    .option(
      "-c, --container <name>",
      "container whose process is used (default: the app container, not a sidecar)",
    )
    .option("-i, --interface <iface>", "interface in the pod: eth0, lo, any", DEFAULT_INTERFACE)
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
    .option("--immediate", "hand each packet over at once (live views; costs more at high rates)")
    .option(
      "--inventory <file>",
      "node inventory (default: PODCAP_INVENTORY, then ~/.config/podcap/inventory.yaml)",
    )
    .option("--node-limit <duration>", "hard limit on the node, whatever else fails", "1h")
    .option(
      "--insecure-accept-host-key",
      "accept unknown and changed host keys (labs only: this disables MITM protection)",
    )
    .option("--json", "print one JSON object at the end instead of text")
    .action(async (pod: string, flags: CaptureFlags, command: Command) => {
      const debug = Boolean(command.optsWithGlobals().debug);
      process.exitCode = await runCapture(captureInvocation(pod, flags), debug);
    });
}
