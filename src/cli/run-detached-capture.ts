// `podcap capture POD --detach`: resolve, reach, start the detached capture, print its ID (on
// stdout, so `id=$(podcap capture web --detach)` works; JSON with --json) and return at once.

import { startDetachedCapture } from "../capture/start-detached-capture.js";
import { ExitCode } from "../errors.js";
import { connectKube } from "../kube/kube-client.js";
import { resolvePod } from "../kube/resolve-pod.js";
import { humanBytes } from "../ui/capture-summary.js";
import { createProgress } from "../ui/progress.js";
import type { DetachedInvocation } from "./detach-options.js";
import { nodeAccess } from "./node-access.js";

export async function runDetachedCapture(invocation: DetachedInvocation, debug: boolean): Promise<number> {
  const { request } = invocation;
  const progress = createProgress({ quiet: invocation.json, debug });
  try {
    progress.stage("resolve", invocation.pod);
    const access = await nodeAccess(invocation, debug ? (line) => progress.debug(line) : undefined);
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
    progress.stage("reach", pod.nodeName);
    const reached = await access.reach(pod.nodeName, nodeAddresses);
    let started: Awaited<ReturnType<typeof startDetachedCapture>>;
    try {
      progress.stage("start", `${request.iface} in ${pod.namespace}/${pod.name}`);
      started = await startDetachedCapture(
        pod,
        reached,
        request,
        debug ? (line) => progress.debug(line) : undefined,
      );
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
    } finally {
      await reached.connection.close();
    }
    progress.done();
    const { rotation, limitSeconds } = request;
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
