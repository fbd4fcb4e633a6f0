// A small cluster as JSON, the way kubectl prints it: four namespaces, three nodes on two
// runtimes, pods with real-looking container IDs, IPs, labels and owners, and the workloads and
// services of fixture-workloads.ts. Tests write it to a file for FileSource and edit it to make
// the cluster change.

import { createHash } from "node:crypto";
import { controllerOf, fixtureWorkloads, WEB_HASH } from "./fixture-workloads.js";

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
  /** The pod's controller: a ReplicaSet, StatefulSet, DaemonSet or Job of fixture-workloads.ts. */
  owner?: { kind: string; name: string };
  /** Running but failing its readiness probe. */
  unready?: boolean;
  /** A Job's pod whose containers exited 0. */
  completed?: boolean;
}

function containerState(spec: PodSpec) {
  if (spec.completed) {
    const terminated = {
      exitCode: 0,
      reason: "Completed",
      startedAt: minutesAgo(41),
      finishedAt: minutesAgo(40),
    };
    return { ready: false, started: false, state: { terminated } };
  }
  return { ready: !spec.unready, started: true, state: { running: { startedAt: minutesAgo(41) } } };
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
      ownerReferences: spec.owner && [controllerOf(spec.owner.kind, spec.namespace, spec.owner.name)],
    },
    spec: {
      nodeName: spec.node,
      containers: containers.map((name) => ({ name, image: "lab/busybox:1" })),
    },
    status: {
      phase: spec.completed ? "Succeeded" : "Running",
      podIP: spec.ip,
      podIPs: [{ ip: spec.ip }],
      hostIP: "10.89.0.1",
      startTime: minutesAgo(42),
      conditions: [{ type: "Ready", status: spec.completed || spec.unready ? "False" : "True" }],
      containerStatuses: containers.map((name) => ({
        name,
        image: "lab/busybox:1",
        imageID: "",
        containerID: `${spec.runtime}://${containerId(`${spec.namespace}/${spec.name}/${name}`)}`,
        restartCount: spec.restarts ?? 0,
        ...containerState(spec),
      })),
    },
  };
}

const webPod = { labels: { app: "web", tier: "frontend", "pod-template-hash": WEB_HASH } };
const webOwner = { owner: { kind: "ReplicaSet", name: `web-${WEB_HASH}` } };
const dbPod = (name: string) => ({
  labels: { app: "db", "statefulset.kubernetes.io/pod-name": name },
  containers: ["postgres", "metrics"],
  owner: { kind: "StatefulSet", name: "db" },
});
const agentPod = {
  namespace: "kube-system",
  labels: { "app.kubernetes.io/name": "node-agent", "controller-revision-hash": "5d8f7c9b6" },
  containers: ["agent"],
  owner: { kind: "DaemonSet", name: "node-agent" },
};

export const fixturePods: PodSpec[] = [
  {
    namespace: "demo",
    name: "web-1",
    node: "lab-node-1",
    ip: "10.244.1.10",
    runtime: "docker",
    ...webPod,
    ...webOwner,
  },
  {
    namespace: "demo",
    name: "web-2",
    node: "lab-node-2",
    ip: "10.244.2.10",
    runtime: "containerd",
    ...webPod,
    ...webOwner,
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
    ...dbPod("db-0"),
  },
  // Its readiness probe fails: the StatefulSet is 1/2 and the db Service has one ready address.
  {
    namespace: "demo",
    name: "db-1",
    node: "lab-node-3",
    ip: "10.244.3.11",
    runtime: "containerd",
    ...dbPod("db-1"),
    unready: true,
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
  {
    namespace: "tools",
    name: "backup-28999-x7k2q",
    node: "lab-node-3",
    ip: "10.244.3.21",
    runtime: "containerd",
    labels: { "job-name": "backup-28999" },
    owner: { kind: "Job", name: "backup-28999" },
    completed: true,
  },
  { ...agentPod, name: "node-agent-4xk2p", node: "lab-node-1", ip: "10.244.1.30", runtime: "docker" },
  { ...agentPod, name: "node-agent-9mz7q", node: "lab-node-2", ip: "10.244.2.30", runtime: "containerd" },
  { ...agentPod, name: "node-agent-tw5rb", node: "lab-node-3", ip: "10.244.3.30", runtime: "containerd" },
];

/** The fixture pods with some labels changed, by pod name. */
export function relabeled(changes: Record<string, Record<string, string>>): PodSpec[] {
  return fixturePods.map((pod) => ({ ...pod, labels: { ...pod.labels, ...changes[pod.name] } }));
}

export function fixtureSnapshot(pods: PodSpec[] = fixturePods): Record<string, Json[]> {
  return {
    ...fixtureWorkloads(minutesAgo(60)),
    namespaces: ["default", "demo", "kube-system", "tools"].map(namespace),
    nodes: [
      node("lab-node-1", "10.89.0.11", "docker://20.10.24", "control-plane"),
      node("lab-node-2", "10.89.0.12", "containerd://1.6.20"),
      node("lab-node-3", "10.89.0.13", "containerd://1.6.20"),
    ],
    pods: pods.map(pod),
  };
}
