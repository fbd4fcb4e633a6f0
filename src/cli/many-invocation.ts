// `podcap capture` with several targets, a workload, a service, -l, --node or --follow: the
// flags -> a checked fan-out request. Nothing here talks to a cluster or a node.

import type { ManyRequest } from "../capture/capture-many.js";
import type { OutputTarget } from "../deliver/sinks.js";
import { UsageError } from "../errors.js";
import { assertSelector } from "../kube/label-selector.js";
import { assertNodeName } from "../kube/pod-ref.js";
import { parseTargetRef } from "../kube/target-ref.js";
import { type CaptureFlags, outputTarget, podCaptureOptions, vantagePoints } from "./capture-options.js";

export interface ManyInvocation {
  request: ManyRequest;
  output?: OutputTarget;
  /** One pcap per pod (in the -o directory) instead of one merged pcapng. */
  split: boolean;
  /** --max-size of the merged file; with --split it bounds each file instead. */
  mergedMaxBytes?: number;
  inventory?: string;
  json: boolean;
  insecureAcceptHostKey: boolean;
  skipAccessCheck: boolean;
}

/** One plain pod at one vantage point, none of the fan-out flags: the one-pod capture, written as pcap. */
export function isOnePod(targets: readonly string[], flags: CaptureFlags): boolean {
  const fanOut = flags.selector ?? flags.node ?? flags.allNamespaces ?? flags.split ?? flags.follow;
  return (
    targets.length === 1 &&
    fanOut === undefined &&
    parseTargetRef(targets[0] as string).kind === "pod" &&
    vantagePoints(flags).length === 1
  );
}

export function manyInvocation(targets: readonly string[], flags: CaptureFlags): ManyInvocation {
  const refs = targets.map(parseTargetRef);
  const selector = flags.selector === undefined ? undefined : assertSelector(flags.selector);
  const node = flags.node === undefined ? undefined : assertNodeName(flags.node);
  if (refs.length === 0 && selector === undefined && node === undefined)
    throw new UsageError(
      "no capture target",
      "name a pod (podcap capture POD), or pick pods with -l SELECTOR or --node NODE",
    );
  if (refs.length > 0 && selector !== undefined)
    throw new UsageError("name targets or select them with -l, not both", "drop the names, or drop -l");
  if (flags.allNamespaces && refs.length > 0)
    throw new UsageError(
      "-A works with -l or --node, not with names",
      "a name is looked up in one namespace: use -n",
    );
  if (flags.allNamespaces && flags.namespace !== undefined)
    throw new UsageError("-A and -n both say which namespace", "pick one");
  const output = outputTarget(flags);
  const split = flags.split ?? false;
  if (split && output !== undefined && output.kind !== "file")
    throw new UsageError("--split writes one file per pod", "give -o a directory, or drop --split");
  const capture = podCaptureOptions(flags, output);
  return {
    request: {
      namespace: flags.namespace,
      context: flags.context,
      kubeconfig: flags.kubeconfig,
      container: flags.container,
      query: { refs, selector, node, allNamespaces: flags.allNamespaces ?? false },
      capture: { ...capture, maxBytes: split ? capture.maxBytes : undefined },
      where: vantagePoints(flags),
      follow: flags.follow ?? false,
    },
    output,
    split,
    mergedMaxBytes: split ? undefined : capture.maxBytes,
    inventory: flags.inventory,
    json: flags.json ?? false,
    insecureAcceptHostKey: flags.insecureAcceptHostKey ?? false,
    skipAccessCheck: flags.skipAccessCheck ?? false,
  };
}
