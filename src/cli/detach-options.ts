// `podcap capture POD --detach` and its rotation options: defined here so that capture-command.ts
// stays the one-screen list it is, and checked here into what the detached capture needs.

import { type Command, Option } from "commander";
import {
  assertRotation,
  DEFAULT_DETACHED_LIMIT_SECONDS,
  DEFAULT_ROTATION,
} from "../capture/detached-tcpdump-args.js";
import { parseDuration } from "../capture/parse-duration.js";
import { parseSize } from "../capture/parse-size.js";
import type { DetachedRequest } from "../capture/start-detached-capture.js";
import { UsageError } from "../errors.js";
import { type CaptureFlags, podCaptureOptions, wholeNumber } from "./capture-options.js";
import { isOnePod } from "./many-invocation.js";
import { type PodOptions, podOptions } from "./pod-options.js";

export interface DetachFlags {
  detach?: boolean;
  rotateSize?: string;
  rotateEvery?: string;
  keep?: string;
}

export interface DetachedInvocation extends PodOptions {
  json: boolean;
  request: DetachedRequest;
}

export function addDetachOptions(command: Command): Command {
  return command
    .option("--detach", "leave the capture running on the node, in rotated files; print its ID and return")
    .addOption(new Option("--rotate-size <size>", "with --detach: a new file after this size (default 10MB)"))
    .addOption(
      new Option("--rotate-every <duration>", "with --detach: a new file after this long (default 1h)"),
    )
    .addOption(new Option("--keep <n>", "with --detach: files kept on the node, oldest deleted (default 5)"));
}

/** What --detach cannot do: it streams nothing home and stops only on the node's terms. */
const NOT_WITH_DETACH: [keyof CaptureFlags, string][] = [
  ["output", "-o (fetch the files later with `podcap fetch ID -o DIR`)"],
  ["wireshark", "--wireshark"],
  ["count", "--count"],
  ["maxSize", "--max-size (the space is --keep x --rotate-size)"],
  ["split", "--split"],
  ["follow", "--follow"],
  ["immediate", "--immediate"],
  ["where", "--where (a detached capture listens inside the pod)"],
];

function assertDetachable(flags: CaptureFlags): void {
  for (const [flag, name] of NOT_WITH_DETACH)
    if (flags[flag] !== undefined && flags[flag] !== false)
      throw new UsageError(`${name.split(" ")[0]} does not go with --detach`, `leave out ${name}`);
}

export function detachedInvocation(
  targets: string[],
  flags: CaptureFlags & DetachFlags,
  command: Command,
): DetachedInvocation {
  assertDetachable(flags);
  if (!isOnePod(targets, flags))
    throw new UsageError("--detach captures one pod", "name one pod: podcap capture POD --detach");
  const request = detachedRequest(flags, command.getOptionValueSource("nodeLimit") !== "default");
  return { ...podOptions(targets[0] as string, flags), json: flags.json ?? false, request };
}

/**
 * What a detached capture of any one pod takes from the flags, checked: shared by
 * `capture --detach` and runbook steps (which detach each pod of a target). `nodeLimitGiven`:
 * --node-limit was set by the user rather than left at the streamed capture's default.
 */
export function detachedRequest(flags: CaptureFlags & DetachFlags, nodeLimitGiven: boolean): DetachedRequest {
  assertDetachable(flags);
  const options = podCaptureOptions(flags, undefined);
  const rotation = assertRotation({
    rotateBytes:
      flags.rotateSize === undefined
        ? DEFAULT_ROTATION.rotateBytes
        : parseSize(flags.rotateSize, "--rotate-size"),
    rotateSeconds:
      flags.rotateEvery === undefined
        ? DEFAULT_ROTATION.rotateSeconds
        : parseDuration(flags.rotateEvery, "--rotate-every"),
    keepFiles: flags.keep === undefined ? DEFAULT_ROTATION.keepFiles : wholeNumber(flags.keep, "--keep"),
  });
  // -d or an explicit --node-limit bound it; otherwise a day, not the streamed capture's hour.
  const limitSeconds =
    options.durationSeconds ?? (nodeLimitGiven ? options.nodeLimitSeconds : DEFAULT_DETACHED_LIMIT_SECONDS);
  return { iface: options.iface, filter: options.filter, snaplen: options.snaplen, rotation, limitSeconds };
}

/** Options of --detach given without it: a mistake worth saying. */
export function assertNoDetachOptions(flags: DetachFlags): void {
  const stray = (["rotateSize", "rotateEvery", "keep"] as const).find((flag) => flags[flag] !== undefined);
  if (stray)
    throw new UsageError(
      `--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} only goes with --detach`,
      "add --detach, or leave it out",
    );
}
