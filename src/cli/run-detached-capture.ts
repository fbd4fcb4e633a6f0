// `podcap capture POD --detach`: resolve, reach, start the detached capture, print its ID (on
// stdout, so `id=$(podcap capture web --detach)` works; JSON with --json) and return at once.

import { type DetachedStarted, startDetachedCapture } from "../capture/start-detached-capture.js";
import { ExitCode } from "../errors.js";
import { connectKube } from "../kube/kube-client.js";
import { resolvePod } from "../kube/resolve-pod.js";
import { humanBytes } from "../ui/capture-summary.js";
import { createProgress } from "../ui/progress.js";
import type { DetachedInvocation } from "./detach-options.js";
import { nodeAccess } from "./node-access.js";

/**
 * Resolve, review, reach and start one detached capture, leaving its Event and audit line; the
 * connection is closed before it returns. Shared by `capture --detach` and runbook steps.
 */
export async function detachPod(
  invocation: DetachedInvocation,
  onStage: (stage: string, detail: string) => void,
  debug?: (line: string) => void,
): Promise<DetachedStarted> {
  const { request } = invocation;
  onStage("resolve", invocation.pod);
  const access = await nodeAccess(invocation, debug);
  const kube = connectKube(invocation);
  const records = access.records(kube);
  const { target: pod, nodeAddresses } = await resolvePod(
    kube,
    invocation.pod,
    invocation.namespace,
    invocation.container,
  );
  const refused = (await records.refusals([pod.namespace])).get(pod.namespace);
  if (refused) throw refused;
  onStage("reach", pod.nodeName);
  const reached = await access.reach(pod.nodeName, nodeAddresses);
  try {
    onStage("start", `${request.iface} in ${pod.namespace}/${pod.name}`);
    const started = await startDetachedCapture(pod, reached, request, debug);
    // The capture goes on without podcap: its Event and audit line are written as it starts.
    const now = new Date();
    records.started({ ...started, target: reached.target }, request.iface, request.filter);
    await records.finish(
      {
        captureId: started.id,
        targets: [
          { namespace: pod.namespace, pod: pod.name, container: pod.container.name, node: pod.nodeName },
        ],
        iface: request.iface,
        filter: request.filter,
        startedAt: now,
        endedAt: now,
        packets: 0,
        bytes: 0,
        status: "captured",
        stopReason: "detached",
      },
      new Map([[pod.nodeName, reached.connection.exec.bind(reached.connection)]]),
    );
    return started;
  } finally {
    await reached.connection.close();
  }
}

export async function runDetachedCapture(invocation: DetachedInvocation, debug: boolean): Promise<number> {
  const progress = await createProgress({ quiet: invocation.json, debug });
  try {
    const started = await detachPod(
      invocation,
      (stage, detail) => progress.stage(stage, detail),
      debug ? (line) => progress.debug(line) : undefined,
    );
    progress.done();
    const { pod } = started;
    const { rotation, limitSeconds } = invocation.request;
    if (invocation.json) {
      const summary = {
        id: started.id,
        namespace: pod.namespace,
        pod: pod.name,
        node: pod.nodeName,
        container: pod.container.name,
        runtime: started.located.runtime,
        pid: started.located.pid,
        directory: started.dir,
        rotateBytes: rotation.rotateBytes,
        rotateSeconds: rotation.rotateSeconds,
        keepFiles: rotation.keepFiles,
        limitSeconds,
      };
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    } else {
      process.stderr.write(
        `podcap: capturing ${pod.namespace}/${pod.name} on ${pod.nodeName} in ${started.dir}: ` +
          `${rotation.keepFiles} files of ${humanBytes(rotation.rotateBytes)} at most, a new one every ${rotation.rotateSeconds}s, ` +
          `for at most ${limitSeconds}s\n  then: podcap fetch ${started.id}; podcap stop ${started.id} --delete\n`,
      );
      process.stdout.write(`${started.id}\n`);
    }
    return ExitCode.ok;
  } catch (error) {
    progress.fail();
    throw error;
  }
}
