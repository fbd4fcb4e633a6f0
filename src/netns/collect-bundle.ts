// A context bundle of one pod: every command in ONE remote exec (the bundle script), read back
// into files plus manifest.json. `collectBundle` is the whole run from a pod name (the CLI's and
// a runbook's entry point); `bundleFromNode` works on a session already open, which is how
// `capture --bundle` collects it over the capture's own connection.

import type { V1Pod } from "@kubernetes/client-node";
import { CaptureFailed } from "../errors.js";
import type { PodTarget } from "../kube/pod-target.js";
import type { Located } from "../runtime/locate.js";
import { PODCAP_VERSION } from "../version.js";
import { bundleCommands } from "./bundle-commands.js";
import { parseBundleFrames } from "./bundle-frames.js";
import { type Bundle, type BundleManifest, buildBundle } from "./bundle-manifest.js";
import { bundleScriptArgv } from "./bundle-script.js";
import { assertBundleDir, writeBundle } from "./bundle-writer.js";
import { runnerFailure } from "./netns-runner.js";
import { type PodNetnsRequest, type PodNodeHooks, withPodOnNode } from "./pod-on-node.js";

export type { BundleManifest } from "./bundle-manifest.js";

/** The whole bundle exec, bounded: a stuck node must not hold the caller for ever. */
const BUNDLE_TIMEOUT_MS = 120_000;

export interface BundleSource {
  /** NodeSession.exec fits. */
  exec(
    argv: string[],
    options: { sudo: boolean; timeoutMs?: number },
  ): Promise<{ code: number | null; stdout: Buffer; stderr: Buffer }>;
  sudo: boolean;
  pod: PodTarget;
  podObject: V1Pod;
  located: Located;
}

/** Runs the bundle script on a reached node and builds the bundle in memory. */
export async function bundleFromNode(source: BundleSource): Promise<Bundle> {
  const { pod, located } = source;
  const commands = bundleCommands(pod.podIP);
  const startedAt = new Date();
  const result = await source.exec(bundleScriptArgv(located.pid, commands), {
    sudo: source.sudo,
    timeoutMs: BUNDLE_TIMEOUT_MS,
  });
  const endedAt = new Date();
  const parsed = parseBundleFrames(result.stdout);
  const said = result.stderr.toString("utf8").trim().split("\n").at(-1);
  if (parsed.done === undefined) {
    const failure = runnerFailure(
      result.code,
      said?.startsWith("podcap-bundle:") ? said : undefined,
      pod.nodeName,
    );
    if (failure) throw failure;
    if (parsed.frames.length === 0)
      throw new CaptureFailed(
        `the bundle script failed on ${pod.nodeName} (exit ${result.code}): ${said ?? parsed.problem}`,
        "run again with --debug; the node needs sh, timeout, mktemp and nsenter",
      );
  }
  return buildBundle({
    pod,
    podObject: source.podObject,
    located,
    commands,
    frames: parsed.frames,
    problem: parsed.done === undefined ? parsed.problem : undefined,
    startedAt,
    endedAt,
    podcapVersion: PODCAP_VERSION,
  });
}

/**
 * Resolves the pod, reviews access, reaches its node, collects the bundle into `outputDir` (new
 * or empty) and returns its manifest. A manifest with `problem` holds what arrived before the
 * node's output stopped.
 */
export async function collectBundle(
  request: PodNetnsRequest,
  outputDir: string,
  hooks: PodNodeHooks = {},
): Promise<BundleManifest> {
  assertBundleDir(outputDir);
  return withPodOnNode(
    request,
    {
      action: "bundle",
      run: async (node) => {
        const bundle = await bundleFromNode({
          exec: (argv, options) => node.session.exec(argv, options),
          sudo: node.target.sudo,
          pod: node.pod,
          podObject: node.podObject,
          located: node.located,
        });
        await writeBundle(outputDir, bundle);
        return bundle.manifest;
      },
    },
    hooks,
  );
}
