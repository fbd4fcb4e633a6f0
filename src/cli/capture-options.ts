// `podcap capture`'s flags as typed, and what every capture takes from them: the filter, the
// limits, where the bytes go. Shared by the one-pod and the many-pod forms; pure but for a look
// at the -o path (that its directory exists).

import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { assertSafeFilter, composeFilter, parsePort, parseProtocol } from "../capture/bpf-filter.js";
import { parseDuration } from "../capture/parse-duration.js";
import { parseSize } from "../capture/parse-size.js";
import { printable } from "../capture/printable.js";
import type { PodCaptureOptions } from "../capture/start-pod-capture.js";
import { DEFAULT_INTERFACE } from "../capture/tcpdump-args.js";
import { parseWhere, type VantagePoint } from "../capture/vantage.js";
import type { OutputTarget } from "../deliver/sinks.js";
import { UsageError } from "../errors.js";

export interface CaptureFlags {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  container?: string;
  interface?: string;
  where?: string;
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
  skipAccessCheck?: boolean;
  nodeLimit: string;
  immediate?: boolean;
  selector?: string;
  node?: string;
  allNamespaces?: boolean;
  split?: boolean;
  follow?: boolean;
  bundle?: boolean;
}

export function wholeNumber(text: string, flag: string): number {
  if (!/^\d{1,10}$/.test(text))
    throw new UsageError(
      `${flag} takes a whole number, got ${printable(text, 40)}`,
      `for example ${flag} 100`,
    );
  return Number(text);
}

/** --bundle is one pod's: a bundle per pod of a fan-out (or of a detached capture) is not built. */
export function assertBundleFits(flags: CaptureFlags & { detach?: boolean }, onePod: boolean): void {
  if (flags.bundle && (flags.detach || !onePod))
    throw new UsageError(
      `--bundle works with one pod${flags.detach ? " streamed home, not with --detach" : ""}`,
      "capture one pod with --bundle, or run `podcap bundle POD` for each pod",
    );
}

/** How each pod is captured, from the flags; throws UsageError with a hint for anything off. */
export function podCaptureOptions(flags: CaptureFlags, output: OutputTarget | undefined): PodCaptureOptions {
  const filter = composeFilter({
    filter: flags.filter === undefined ? undefined : assertSafeFilter(flags.filter),
    port: flags.port === undefined ? undefined : parsePort(flags.port),
    protocol: flags.proto === undefined ? undefined : parseProtocol(flags.proto),
  });
  return {
    iface: flags.interface ?? DEFAULT_INTERFACE,
    vantage: vantagePoints(flags)[0],
    filter: filter ?? "",
    snaplen: flags.snaplen === undefined ? undefined : wholeNumber(flags.snaplen, "-s"),
    count: flags.count === undefined ? undefined : wholeNumber(flags.count, "--count"),
    durationSeconds: flags.duration === undefined ? undefined : parseDuration(flags.duration, "-d"),
    maxBytes: flags.maxSize === undefined ? undefined : parseSize(flags.maxSize, "--max-size"),
    nodeLimitSeconds: parseDuration(flags.nodeLimit, "--node-limit"),
    immediate: flags.immediate ?? output?.kind === "wireshark",
  };
}

/** Where each pod is captured (--where with -i); several give one stream each. */
export const vantagePoints = (flags: CaptureFlags): VantagePoint[] =>
  parseWhere(flags.where, flags.interface);

export function outputTarget(flags: CaptureFlags): OutputTarget | undefined {
  if (flags.output !== undefined && flags.wireshark)
    throw new UsageError("-o and --wireshark both say where the capture goes", "pick one");
  if (flags.wireshark) return { kind: "wireshark" };
  if (flags.output === "-") return { kind: "stdout" };
  return flags.output === undefined
    ? undefined
    : { kind: "file", path: assertOutputPath(flags.output, flags.split) };
}

/**
 * -o, checked before anything runs anywhere: a path a person could type (no control characters),
 * in a directory that exists, and not a directory itself unless --split (which writes into one).
 */
export function assertOutputPath(path: string, split = false): string {
  if (path === "" || [...path].some((char) => char < " " || char === "\x7f")) {
    throw new UsageError(
      `invalid output path ${printable(path)}`,
      "give -o a file name on one line, or - for standard output",
    );
  }
  const isDirectory = existsSync(path) && statSync(path).isDirectory();
  if (!split && isDirectory)
    throw new UsageError(
      `-o ${printable(path)} is a directory`,
      "name a file in it, or add --split for one file per pod",
    );
  if (!split && !existsSync(dirname(resolve(path))))
    throw new UsageError(
      `no directory ${printable(dirname(path))} for -o`,
      "create it first, or name a file in an existing directory",
    );
  return path;
}
