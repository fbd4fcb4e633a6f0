// The endpoints and EndpointSlice controllers: for every Service with a selector, the pods it
// selects, by IP, with the port each pod serves every service port on. Ready pods are addresses,
// the others notReadyAddresses (ready: false in a slice), so a client sees what kube-proxy would
// send traffic to. They are dated as their Service, which the controllers follow within a moment.

import { createHash } from "node:crypto";
import type {
  CoreV1EndpointPort,
  V1EndpointAddress,
  V1EndpointSlice,
  V1Endpoints,
  V1Pod,
  V1Service,
  V1ServicePort,
} from "@kubernetes/client-node";
import { matchesLabels } from "./label-selector.js";
import { labelRequirements } from "./label-selector-objects.js";
import { isPodReady } from "./pod-columns.js";
import { isActivePod } from "./workload-status.js";

interface Backend {
  pod: V1Pod;
  ip: string;
  ready: boolean;
  ports: CoreV1EndpointPort[];
}

/** The pod's port for a service port: a number, or the container port of that name. */
function targetPort(port: V1ServicePort, pod: V1Pod): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === "number") return target;
  const protocol = port.protocol ?? "TCP";
  return pod.spec?.containers
    .flatMap((container) => container.ports ?? [])
    .find((p) => p.name === target && (p.protocol ?? "TCP") === protocol)?.containerPort;
}

const selects = (service: V1Service, pod: V1Pod) =>
  pod.metadata?.namespace === service.metadata?.namespace &&
  matchesLabels(labelRequirements(service.spec?.selector), pod.metadata?.labels);

/** Pods without an address, finished or going away are nobody's backend; nor one serving no port. */
function backendsOf(service: V1Service, pods: V1Pod[]): Backend[] {
  const servicePorts = service.spec?.ports ?? [];
  return pods
    .filter((pod) => pod.status?.podIP && isActivePod(pod) && selects(service, pod))
    .map((pod) => ({
      pod,
      ip: pod.status?.podIP as string,
      ready: isPodReady(pod),
      ports: servicePorts.flatMap((port) => {
        const number = targetPort(port, pod);
        return number === undefined
          ? []
          : [{ name: port.name, port: number, protocol: port.protocol ?? "TCP" }];
      }),
    }))
    .filter((backend) => backend.ports.length > 0 || servicePorts.length === 0)
    .sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
}

/** Backends grouped by the ports they serve, like the controllers' subsets and slices. */
function byPorts(backends: Backend[]): Map<string, Backend[]> {
  const groups = new Map<string, Backend[]>();
  for (const backend of backends) {
    const key = JSON.stringify(backend.ports);
    groups.set(key, [...(groups.get(key) ?? []), backend]);
  }
  return groups;
}

const podRef = ({ pod }: Backend) => ({
  kind: "Pod",
  namespace: pod.metadata?.namespace,
  name: pod.metadata?.name,
  uid: pod.metadata?.uid,
});

const address = (backend: Backend): V1EndpointAddress => ({
  ip: backend.ip,
  nodeName: backend.pod.spec?.nodeName,
  targetRef: podRef(backend),
});

// Empty lists are left out, as the apiserver's omitempty leaves them out.
const nonEmpty = <T>(items: T[]) => (items.length > 0 ? items : undefined);

function endpointsObject(service: V1Service, backends: Backend[]): V1Endpoints {
  const subsets = [...byPorts(backends).values()].map((group) => ({
    addresses: nonEmpty(group.filter((b) => b.ready).map(address)),
    notReadyAddresses: nonEmpty(group.filter((b) => !b.ready).map(address)),
    ports: nonEmpty(group[0]?.ports ?? []),
  }));
  const { name, namespace, labels, creationTimestamp } = service.metadata ?? {};
  return { metadata: { name, namespace, labels, creationTimestamp }, subsets };
}

// generateName's alphabet, drawn from a hash so a slice keeps its name from one poll to the next.
const suffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";
const stableSuffix = (seed: string) =>
  [...createHash("sha256").update(seed).digest().subarray(0, 5)]
    .map((byte) => suffixAlphabet.charAt(byte % suffixAlphabet.length))
    .join("");

function endpointSlice(service: V1Service, portsKey: string, group: Backend[]): V1EndpointSlice {
  const { name = "", namespace = "", uid, labels, creationTimestamp } = service.metadata ?? {};
  return {
    metadata: {
      name: `${name}-${stableSuffix(`${namespace}/${name}/${portsKey}`)}`,
      generateName: `${name}-`,
      namespace,
      creationTimestamp,
      labels: {
        ...labels,
        "kubernetes.io/service-name": name,
        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
      },
      ownerReferences:
        uid === undefined
          ? undefined
          : [{ apiVersion: "v1", kind: "Service", name, uid, controller: true, blockOwnerDeletion: true }],
    },
    addressType: "IPv4",
    endpoints: group.map((backend) => ({
      addresses: [backend.ip],
      conditions: { ready: backend.ready, serving: backend.ready, terminating: false },
      nodeName: backend.pod.spec?.nodeName,
      targetRef: podRef(backend),
    })),
    ports: nonEmpty(group[0]?.ports ?? []),
  };
}

function endpointSlices(service: V1Service, backends: Backend[]): V1EndpointSlice[] {
  const groups = byPorts(backends);
  // A service nothing backs still gets one empty slice, the controller's placeholder.
  if (groups.size === 0) return [endpointSlice(service, "", [])];
  return [...groups].map(([key, group]) => endpointSlice(service, key, group));
}

const hasSelector = (service: V1Service) =>
  service.spec?.selector !== undefined && service.spec.type !== "ExternalName";

/**
 * Endpoints and EndpointSlices of every service with a selector; `declared` endpoints (a
 * source's own) stay for the services without one, as nothing computes theirs.
 */
export function serviceEndpoints(
  services: V1Service[],
  pods: V1Pod[],
  declared: V1Endpoints[],
): { endpoints: V1Endpoints[]; endpointslices: V1EndpointSlice[] } {
  const selecting = services.filter(hasSelector);
  const computedKey = new Set(selecting.map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`));
  const kept = declared.filter((ep) => !computedKey.has(`${ep.metadata?.namespace}/${ep.metadata?.name}`));
  const backends = selecting.map((service) => ({ service, backends: backendsOf(service, pods) }));
  return {
    endpoints: [...kept, ...backends.map((b) => endpointsObject(b.service, b.backends))],
    endpointslices: backends.flatMap((b) => endpointSlices(b.service, b.backends)),
  };
}
