// `capture --detach` on a node already reached: locate the container's PID, run the detached
// wrapper's launcher in one exec, and turn what it said into the capture's ID or a typed error.
// The capture then runs on its own; nothing of this connection is needed any more.

import { CaptureFailed, type PodcapError, RuntimeNotFound, ToolMissing } from "../errors.js";
import type { SshTarget } from "../inventory/ssh-target.js";
import type { PodTarget } from "../kube/pod-target.js";
import { type Located, locateContainer } from "../runtime/locate.js";
import type { NodeSession } from "../ssh/node-session.js";
import { newDetachedCaptureId } from "./detached-capture-id.js";
import { detachedTcpdumpArgv, type Rotation } from "./detached-tcpdump-args.js";
import { captureDir, DETACH_TAG, DetachedExit, detachedWrapperArgv } from "./detached-wrapper.js";
import type { PodCaptureOptions } from "./start-pod-capture.js";
import { filterError, tcpdumpFailure } from "./tcpdump-stderr.js";

export interface DetachedRequest extends Pick<PodCaptureOptions, "iface" | "filter" | "snaplen"> {
  rotation: Rotation;
  limitSeconds: number;
}

export interface DetachedStarted {
  id: string;
  pod: PodTarget;
  located: Located;
  dir: string;
  wrapperPid: number;
}

const LAUNCH_TIMEOUT_MS = 30_000;

/** What the launcher said on stderr after its tag: `tool-missing nsenter` -> tool-missing. */
function said(stderr: string, word: string): string | undefined {
  const line = stderr.split("\n").find((l) => l.startsWith(`${DETACH_TAG} ${word}`));
  return line?.slice(DETACH_TAG.length + word.length + 2);
}

export function launchFailure(code: number | null, stderr: string, request: DetachedRequest): PodcapError {
  const { iface, filter } = request;
  if (code === DetachedExit.validationFailed) {
    const text = said(stderr, "validation-failed") ?? "";
    const error = tcpdumpFailure(text, { iface, filter });
    return error.name === "CaptureFailed" && filter ? filterError(text, filter) : error;
  }
  if (code === DetachedExit.toolMissing)
    return new ToolMissing(
      `${said(stderr, "tool-missing") ?? "a tool"} is not installed on the node`,
      "install it on the node (tcpdump; nsenter, setsid and timeout are in util-linux and coreutils), or set tcpdumpPath in the inventory",
    );
  if (code === DetachedExit.targetGone)
    return new RuntimeNotFound(
      "the container's process ended before the capture started",
      "the pod may be restarting: try again",
    );
  if (code === DetachedExit.storageFailed)
    return new CaptureFailed(
      `cannot write under ${captureDir("")} on the node`,
      "check that /var/lib is writable and not full on that node",
    );
  if (code === DetachedExit.startFailed)
    return tcpdumpFailure(said(stderr, "start-failed") ?? stderr, { iface, filter });
  return new CaptureFailed(
    `the detached capture did not start (exit ${code ?? "by a signal"}): ${stderr.trim().split("\n").at(-1) ?? ""}`,
    "run again with --debug to see the command and everything the node said",
  );
}

export async function startDetachedCapture(
  pod: PodTarget,
  reached: { target: SshTarget; connection: NodeSession },
  request: DetachedRequest,
  debug?: (line: string) => void,
): Promise<DetachedStarted> {
  const { target, connection } = reached;
  const id = newDetachedCaptureId(pod.nodeName);
  const tcpdumpArgv = detachedTcpdumpArgv(
    id,
    { tcpdumpPath: target.tcpdumpPath, iface: request.iface, snaplen: request.snaplen },
    request.rotation,
  );
  const located = await locateContainer(
    (argv, options) => connection.exec(argv, options),
    target,
    pod.container,
  );
  const argv = detachedWrapperArgv({
    captureId: id,
    targetPid: located.pid,
    maxSeconds: request.limitSeconds,
    keepFiles: request.rotation.keepFiles,
    filter: request.filter,
    tcpdumpArgv,
    meta: {
      namespace: pod.namespace,
      pod: pod.name,
      container: pod.container.name,
      container_id: `${pod.container.scheme}://${pod.container.id}`,
      node: pod.nodeName,
      runtime: located.runtime,
      iface: request.iface,
      filter: request.filter,
      rotate_bytes: request.rotation.rotateBytes,
      rotate_seconds: request.rotation.rotateSeconds,
    },
  });
  debug?.(`detached capture ${id}: tcpdump ${tcpdumpArgv.join(" ")}`);
  const result = await connection.exec(argv, { sudo: true, timeoutMs: LAUNCH_TIMEOUT_MS });
  const stdout = result.stdout.toString("utf8");
  const stderr = result.stderr.toString("utf8");
  const started = new RegExp(`^${DETACH_TAG} started id=(\\S+) wrapper=(\\d+)$`, "m").exec(stdout);
  if (result.code !== 0 || !started || started[1] !== id) throw launchFailure(result.code, stderr, request);
  return { id, pod, located, dir: captureDir(id), wrapperPid: Number(started[2]) };
}
