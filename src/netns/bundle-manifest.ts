// manifest.json of a context bundle: which pod, where and when, and for every file what produced
// it (argv, pod or node namespace, or the API), how it ended and how many bytes it holds. A tool
// the node lacks is an entry with status "missing", not a failure. Pure.

import type { V1Pod } from "@kubernetes/client-node";
import type { PodTarget } from "../kube/pod-target.js";
import type { Located } from "../runtime/locate.js";
import type { BundleCommand, BundleWhere } from "./bundle-commands.js";
import type { BundleFrame, FrameStatus } from "./bundle-frames.js";

export const BUNDLE_MANIFEST_KIND = "podcap.bundle";
/** Enough of a command's stderr to say why it failed, not a second copy of a flood. */
const STDERR_KEPT = 2_000;

export interface BundleFileEntry {
  path: string;
  where: BundleWhere | "api";
  /** The command as run in that namespace (without nsenter), or the API request. */
  argv: string[];
  status: FrameStatus | "not-run";
  exitCode: number | null;
  bytes: number;
  /** False for a tool that is missing or a command that never ran: no file then. */
  written: boolean;
  stderr?: string;
}

export interface BundleManifest {
  kind: typeof BUNDLE_MANIFEST_KIND;
  podcapVersion: string;
  pod: {
    namespace: string;
    name: string;
    uid?: string;
    node: string;
    container: string;
    containerId: string;
    runtime: string;
    pid: number;
    podIP: string;
  };
  startedAt: string;
  endedAt: string;
  durationSeconds: number;
  files: BundleFileEntry[];
  /** Tools the node does not have, once each. */
  missingTools: string[];
  /** Set when the node's output stopped early: the files listed are what arrived. */
  problem?: string;
}

/** A bundle's content, before it touches the disk. */
export interface Bundle {
  manifest: BundleManifest;
  /** path -> bytes, for every entry with written: true. */
  contents: Map<string, Buffer>;
}

export const POD_JSON = "pod.json";

/** The API's pod without managedFields (noise for a reader), as pretty JSON. */
export function podJson(pod: V1Pod): Buffer {
  const { managedFields: _dropped, ...metadata } = pod.metadata ?? {};
  return Buffer.from(`${JSON.stringify({ ...pod, metadata }, null, 2)}\n`);
}

export interface BundleInput {
  pod: PodTarget;
  podObject: V1Pod;
  located: Located;
  commands: readonly BundleCommand[];
  frames: readonly BundleFrame[];
  problem?: string;
  startedAt: Date;
  endedAt: Date;
  podcapVersion: string;
}

export function buildBundle(input: BundleInput): Bundle {
  const { pod, located } = input;
  const contents = new Map<string, Buffer>();
  const podBytes = podJson(input.podObject);
  contents.set(POD_JSON, podBytes);
  const files: BundleFileEntry[] = [
    {
      path: POD_JSON,
      where: "api",
      argv: ["GET", `/api/v1/namespaces/${pod.namespace}/pods/${pod.name}`],
      status: "ran",
      exitCode: 0,
      bytes: podBytes.length,
      written: true,
    },
  ];
  const missing = new Set<string>();
  input.commands.forEach((command, index) => {
    const frame = input.frames[index];
    const written = frame !== undefined && frame.status !== "missing";
    if (frame?.status === "missing") missing.add(command.argv[0] as string);
    if (written) contents.set(command.file, frame.stdout);
    const stderr = frame?.stderr.toString("utf8").slice(0, STDERR_KEPT).trimEnd();
    files.push({
      path: command.file,
      where: command.where,
      argv: command.argv,
      status: frame?.status ?? "not-run",
      exitCode: frame ? frame.exitCode : null,
      bytes: written ? frame.stdout.length : 0,
      written,
      ...(stderr ? { stderr } : {}),
    });
  });
  const manifest: BundleManifest = {
    kind: BUNDLE_MANIFEST_KIND,
    podcapVersion: input.podcapVersion,
    pod: {
      namespace: pod.namespace,
      name: pod.name,
      ...(pod.uid ? { uid: pod.uid } : {}),
      node: pod.nodeName,
      container: pod.container.name,
      containerId: `${pod.container.scheme}://${pod.container.id}`,
      runtime: located.runtime,
      pid: located.pid,
      podIP: pod.podIP,
    },
    startedAt: input.startedAt.toISOString(),
    endedAt: input.endedAt.toISOString(),
    durationSeconds: Math.max(0, input.endedAt.getTime() - input.startedAt.getTime()) / 1000,
    files,
    missingTools: [...missing],
    ...(input.problem ? { problem: input.problem } : {}),
  };
  return { manifest, contents };
}
