// Which container's PID to enter. Every container of a pod shares one network namespace, so
// the choice only decides whose process is looked up; the user's app is still the sensible
// default (mesh sidecars restart on their own schedule), as kubectl picks it for `exec`.

import { ContainerNotFound } from "../errors.js";
import { printable } from "./printable.js";

export const DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

/** Names of sidecars injected by meshes, secret agents and log shippers. */
export const KNOWN_SIDECARS: ReadonlySet<string> = new Set([
  "istio-proxy",
  "linkerd-proxy",
  "envoy",
  "envoy-sidecar",
  "cilium-envoy",
  "consul-dataplane",
  "kuma-sidecar",
  "daprd",
  "vault-agent",
  "cloud-sql-proxy",
  "fluent-bit",
  "filebeat",
  "promtail",
]);

/** The parts of a V1Pod this needs, so callers can pass the client's object as is. */
export interface PodLike {
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
  spec?: { containers?: readonly { name: string }[] };
}

/** `explicit` (-c) when given and present; else the annotation, the first non-sidecar, the first. */
export function chooseContainerName(pod: PodLike, explicit?: string): string {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  const podName = `${pod.metadata?.namespace ?? "?"}/${pod.metadata?.name ?? "?"}`;
  if (names.length === 0) {
    throw new ContainerNotFound(
      `pod ${podName} has no containers`,
      "check the pod with `kubectl get pod -o yaml`",
    );
  }
  if (explicit !== undefined) {
    if (names.includes(explicit)) return explicit;
    throw new ContainerNotFound(
      `container ${printable(explicit)} is not in pod ${podName}`,
      `its containers are: ${names.join(", ")}`,
    );
  }
  // An annotation naming a container that is gone is ignored, as kubectl does.
  const annotated = pod.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated !== undefined && names.includes(annotated)) return annotated;
  return names.find((name) => !KNOWN_SIDECARS.has(name)) ?? (names[0] as string);
}
