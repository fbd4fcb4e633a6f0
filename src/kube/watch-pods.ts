// --follow: pods that start matching while a capture runs, seen through the API's watch. A watch
// the server closes (they time out) is opened again until stop() is called.

import { type V1Pod, Watch } from "@kubernetes/client-node";
import type { Kube } from "./kube-client.js";
import type { PodWatch } from "./resolve-targets.js";

export type PodChange = "ADDED" | "MODIFIED" | "DELETED";

const REOPEN_DELAY_MS = 1000;

export function watchPods(
  kube: Kube,
  watches: readonly PodWatch[],
  onChange: (change: PodChange, pod: V1Pod) => void,
): { stop(): void } {
  const watch = new Watch(kube.config);
  const controllers = new Set<AbortController>();
  let stopped = false;
  const open = (spec: PodWatch) => {
    if (stopped) return;
    const path = spec.namespace ? `/api/v1/namespaces/${spec.namespace}/pods` : "/api/v1/pods";
    const params = {
      ...(spec.labelSelector ? { labelSelector: spec.labelSelector } : {}),
      ...(spec.fieldSelector ? { fieldSelector: spec.fieldSelector } : {}),
    };
    let controller: AbortController | undefined;
    const reopen = () => {
      if (controller) controllers.delete(controller);
      if (!stopped) setTimeout(() => open(spec), REOPEN_DELAY_MS).unref();
    };
    watch
      .watch(path, params, (phase, object) => onChange(phase as PodChange, object as V1Pod), reopen)
      .then((started) => {
        controller = started;
        if (stopped) started.abort();
        else controllers.add(started);
      }, reopen);
  };
  for (const spec of watches) open(spec);
  return {
    stop() {
      stopped = true;
      for (const controller of controllers) controller.abort();
      controllers.clear();
    },
  };
}
