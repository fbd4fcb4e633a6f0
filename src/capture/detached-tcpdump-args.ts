// tcpdump's argv for a capture written to rotated files on the node (capture --detach): the
// streamed capture's argv (tcpdump-args.ts: -i, -n, -U, -B, -s, all checked there) with `-w -`
// replaced by files. -U stays: each packet reaches the file at once, so `podcap ls` shows true
// sizes and a tcpdump killed with SIGKILL loses nothing that was captured.
// Why -C/-G/-z/-Z root and no -W: see detached-wrapper.ts.

import { UsageError } from "../errors.js";
import { captureDir, FILE_TEMPLATE, HOOK_NAME } from "./detached-wrapper.js";
import { buildTcpdumpArgv, type TcpdumpOptions } from "./tcpdump-args.js";

export interface Rotation {
  /** Rotate when a file passes this many bytes (tcpdump counts in millions: rounded up). */
  rotateBytes: number;
  /** Rotate at the first packet after this many seconds in one file. */
  rotateSeconds: number;
  /** Files kept on the node, the one being written included: the space is at most keep x size. */
  keepFiles: number;
}

/** Like Calico's packet capture: 10 MB files, a new one every hour, a few kept (50 MB at most). */
export const DEFAULT_ROTATION: Rotation = { rotateBytes: 10_000_000, rotateSeconds: 3_600, keepFiles: 5 };
/** A detached capture is meant to outlive a night: the hard limit unless --node-limit says. */
export const DEFAULT_DETACHED_LIMIT_SECONDS = 24 * 3_600;
const MAX_KEEP = 1_000;
const MAX_ROTATE_MB = 100_000;

/** tcpdump's -C unit: 1,000,000 bytes. A smaller size still makes 1 MB files. */
export const rotateMegabytes = (bytes: number) => Math.max(1, Math.ceil(bytes / 1_000_000));

export function assertRotation(rotation: Rotation): Rotation {
  if (rotateMegabytes(rotation.rotateBytes) > MAX_ROTATE_MB)
    throw new UsageError("--rotate-size is too large", `give at most ${MAX_ROTATE_MB / 1000} GB a file`);
  if (!Number.isInteger(rotation.keepFiles) || rotation.keepFiles < 1 || rotation.keepFiles > MAX_KEEP)
    throw new UsageError(`--keep takes a whole number from 1 to ${MAX_KEEP}`, "for example --keep 5");
  return rotation;
}

export function detachedTcpdumpArgv(
  captureId: string,
  options: Omit<TcpdumpOptions, "count" | "immediate" | "filter">,
  rotation: Rotation,
): string[] {
  const streamed = buildTcpdumpArgv(options);
  const tail = streamed.splice(-2);
  if (tail.join(" ") !== "-w -") throw new Error(`unexpected streamed tcpdump argv: ${tail.join(" ")}`);
  const { rotateBytes, rotateSeconds } = assertRotation(rotation);
  const dir = captureDir(captureId);
  return [
    ...streamed,
    "-Z",
    "root",
    "-C",
    String(rotateMegabytes(rotateBytes)),
    "-G",
    String(Math.max(1, Math.round(rotateSeconds))),
    "-w",
    `${dir}/${FILE_TEMPLATE}`,
    "-z",
    `${dir}/${HOOK_NAME}`,
  ];
}
