// A small cluster as JSON, the way kubectl prints it: four namespaces, three nodes on two
// runtimes, and pods with real-looking container IDs, IPs and labels. Tests write it to a file for
// FileSource and edit it to make the cluster change.

import { createHash } from "node:crypto";

export type Json = Record<string, unknown>;

/** 64 hex digits, stable per seed, like a docker or containerd container ID. */
export const containerId = (seed: string) => createHash("sha256").update(seed).digest("hex");

// Fixed once per run: snapshots made at different times must be equal unless a test changes them.
const loadedAt = Date.now();
const minutesAgo = (minutes: number) => new Date(loadedAt - minutes * 60_000).toISOString();

function namespace(name: string): Json {
  return {
    metadata: { name, uid: `ns-${name}`, creationTimestamp: minutesAgo(600) },
    status: { phase: "Active" },
  };
}

function node(name: string, ip: string, runtime: string, role?: string): Json {
  const labels: Record<string, string> = { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux" };
  if (role) labels[`node-role.kubernetes.io/${role}`] = "";
  return {
    metadata: { name, uid: `node-${name}`, labels, creationTimestamp: minutesAgo(600) },
    status: {
      addresses: [
        { type: "InternalIP", address: ip },
        { type: "Hostname", address: name },
      ],
      conditions: [{ type: "Ready", status: "True", reason: "KubeletReady" }],
      nodeInfo: {
        kubeletVersion: "v1.32.0-lab",
        containerRuntimeVersion: runtime,
        osImage: "Debian GNU/Linux 12 (bookworm)",
        kernelVersion: "6.1.0-lab",
        architecture: "amd64",
        operatingSystem: "linux",
        bootID: "",
        kubeProxyVersion: "",
        machineID: "",
        systemUUID: "",
      },
    },
  };
}

export interface PodSpec {
  namespace: string;
  name: string;
  node: string;
  ip: string;
  runtime: "docker" | "containerd";
  labels?: Record<string, string>;
  containers?: string[];
  restarts?: number;
}

export function pod(spec: PodSpec): Json {
  const containers = spec.containers ?? ["main"];
  return {
    metadata: {
      name: spec.name,
      namespace: spec.namespace,
      uid: `pod-${spec.namespace}-${spec.name}`,
      labels: spec.labels ?? {},
      creationTimestamp: minutesAgo(42),
    },
    spec: {
      nodeName: spec.node,
      containers: containers.map((name) => ({ name, image: "lab/busybox:1" })),
    },
    status: {
      phase: "Running",
      podIP: spec.ip,
      podIPs: [{ ip: spec.ip }],
      hostIP: "10.89.0.1",
      conditions: [{ type: "Ready", status: "True" }],
      containerStatuses: containers.map((name) => ({
        name,
        image: "lab/busybox:1",
        imageID: "",
        containerID: `${spec.runtime}://${containerId(`${spec.namespace}/${spec.name}/${name}`)}`,
        ready: true,
        restartCount: spec.restarts ?? 0,
        started: true,
        state: { running: { startedAt: minutesAgo(41) } },
      })),
    },
  };
}

export const fixturePods: PodSpec[] = [
  {
    namespace: "demo",
    name: "web-1",
    node: "lab-node-1",
    ip: "10.244.1.10",
    runtime: "docker",
    labels: { app: "web", tier: "frontend" },
  },
  {
    namespace: "demo",
    name: "web-2",
    node: "lab-node-2",
    ip: "10.244.2.10",
    runtime: "containerd",
    labels: { app: "web", tier: "frontend" },
  },
  {
    namespace: "demo",
    name: "client-1",
    node: "lab-node-3",
    ip: "10.244.3.10",
    runtime: "containerd",
    labels: { app: "client" },
  },
  {
    namespace: "demo",
    name: "db-0",
    node: "lab-node-2",
    ip: "10.244.2.11",
    runtime: "containerd",
    labels: { app: "db" },
    containers: ["postgres", "metrics"],
  },
  {
    namespace: "kube-system",
    name: "coredns-lab",
    node: "lab-node-1",
    ip: "10.244.1.2",
    runtime: "docker",
    labels: { "k8s-app": "kube-dns" },
  },
  {
    namespace: "tools",
    name: "toolbox",
    node: "lab-node-3",
    ip: "10.244.3.20",
    runtime: "containerd",
    restarts: 2,
  },
];

/** The fixture pods with some labels changed, by pod name. */
export function relabeled(changes: Record<string, Record<string, string>>): PodSpec[] {
  return fixturePods.map((pod) => ({ ...pod, labels: { ...pod.labels, ...changes[pod.name] } }));
}

export function fixtureSnapshot(pods: PodSpec[] = fixturePods): {
  namespaces: Json[];
  nodes: Json[];
  pods: Json[];
} {
  return {
    namespaces: ["default", "demo", "kube-system", "tools"].map(namespace),
    nodes: [
      node("lab-node-1", "10.89.0.11", "docker://20.10.24", "control-plane"),
      node("lab-node-2", "10.89.0.12", "containerd://1.6.20"),
      node("lab-node-3", "10.89.0.13", "containerd://1.6.20"),
    ],
    pods: pods.map(pod),
  };
}
