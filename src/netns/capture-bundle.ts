// `capture --bundle`: the context bundle collected over the capture's own SSH connection once
// tcpdump listens, written next to the pcap (`<pcap without extension>.bundle/`). The capture
// closes its connection when it ends; here that close waits for the bundle's exec to finish.

import type { CaptureStarted, NodeConnection } from "../capture/capture-pod.js";
import type { ReachNode } from "../capture/start-pod-capture.js";
import { UsageError } from "../errors.js";
import { connectKube, type KubeOptions, kubeError } from "../kube/kube-client.js";
import type { BundleManifest } from "./bundle-manifest.js";
import { assertBundleDir, writeBundle } from "./bundle-writer.js";
import { bundleFromNode } from "./collect-bundle.js";

/** `web.pcap` -> `web.bundle`; a name without an extension gets `.bundle` added. */
export function bundleDirBeside(pcapPath: string): string {
  return `${pcapPath.replace(/\.(pcap|pcapng|cap)$/i, "")}.bundle`;
}

/** Where the bundle of a capture to `output` goes; refuses outputs that are not a file. */
export function assertBundleBeside(output: { kind: string; path?: string } | undefined): string | undefined {
  if (output && output.kind !== "file")
    throw new UsageError(
      "--bundle is written next to the pcap file, and this capture has none",
      "give -o FILE (not - or --wireshark), or run `podcap bundle POD` alongside",
    );
  return output?.path === undefined ? undefined : assertBundleDir(bundleDirBeside(output.path), "--bundle");
}

export interface CaptureBundle {
  /** Wraps the capture's reach so the bundle can use (and hold open) its connection. */
  reach(reach: ReachNode): ReachNode;
  /** Call when tcpdump listens. */
  start(started: CaptureStarted): void;
  /** Waits for the bundle and writes it next to `pcapPath`; undefined when it never started. */
  finish(pcapPath: string): Promise<{ dir: string; manifest: BundleManifest } | undefined>;
}

export function captureBundle(kubeOptions: KubeOptions): CaptureBundle {
  let connection: NodeConnection | undefined;
  let collecting: ReturnType<typeof bundleFromNode> | undefined;
  return {
    reach: (reach) => async (nodeName, addresses) => {
      const reached = await reach(nodeName, addresses);
      connection = reached.connection;
      const held: NodeConnection = {
        exec: (argv, options) => reached.connection.exec(argv, options),
        spawn: (argv, options) => reached.connection.spawn(argv, options),
        close: () => {
          const pending = collecting ?? Promise.resolve();
          pending.then(
            () => reached.connection.close(),
            () => reached.connection.close(),
          );
        },
      };
      return { target: reached.target, connection: held };
    },
    start(started) {
      const open = connection;
      if (!open) return;
      const kube = connectKube(kubeOptions);
      const { pod } = started;
      collecting = kube.core
        .readNamespacedPod({ name: pod.name, namespace: pod.namespace })
        .catch((error) => {
          throw kubeError(error, kube);
        })
        .then((podObject) =>
          bundleFromNode({
            exec: (argv, options) => open.exec(argv, { sudo: options.sudo, timeoutMs: options.timeoutMs }),
            sudo: started.target.sudo,
            pod,
            podObject,
            located: started.located,
          }),
        );
      collecting.catch(() => undefined);
    },
    async finish(pcapPath) {
      if (!collecting) return undefined;
      const bundle = await collecting;
      const dir = assertBundleDir(bundleDirBeside(pcapPath), "--bundle");
      await writeBundle(dir, bundle);
      return { dir, manifest: bundle.manifest };
    },
  };
}
