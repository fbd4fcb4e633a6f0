// The lab's workloads and Services, made from its pods: each pod names its controller (a PodOwner,
// kept in the podcap-lab/owner label), and a workload exists while one of its pods does, with the
// selector and template its pods share. Specs only: the API stand-in's controllers work out the
// status and the endpoints from the pods, as they do for any source.

import { createHash } from "node:crypto";
import type {
  V1DaemonSet,
  V1Deployment,
  V1Job,
  V1LabelSelector,
  V1ObjectMeta,
  V1OwnerReference,
  V1Pod,
  V1PodTemplateSpec,
  V1ReplicaSet,
  V1Service,
  V1ServicePort,
  V1StatefulSet,
} from "@kubernetes/client-node";
import type { ClusterSnapshot } from "./apiserver/source.js";
import type { PodOwner } from "./containers.js";

export interface LabServiceSpec {
  namespace: string;
  name: string;
  selector: Record<string, string>;
  clusterIP: string;
  ports: V1ServicePort[];
}

export interface OwnedPod {
  pod: V1Pod;
  owner?: PodOwner;
}

export type LabWorkloads = Required<
  Pick<ClusterSnapshot, "deployments" | "replicasets" | "statefulsets" | "daemonsets" | "jobs" | "services">
>;

/** Shaped like a real uid, and the same for the same object in every poll and after restarts. */
export function labUid(kind: string, namespace: string, name: string): string {
  const hex = createHash("sha256").update(`${kind}/${namespace}/${name}`).digest("hex");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join(
    "-",
  );
}

export function controllerRef(kind: string, name: string, namespace: string): V1OwnerReference {
  const apiVersion = kind === "Job" ? "batch/v1" : "apps/v1";
  return {
    apiVersion,
    kind,
    name,
    uid: labUid(kind, namespace, name),
    controller: true,
    blockOwnerDeletion: true,
  };
}

// Labels a controller gives each pod apart (its name, its revision): no selector holds them.
const perPodLabels = new Set([
  "statefulset.kubernetes.io/pod-name",
  "apps.kubernetes.io/pod-index",
  "controller-revision-hash",
  "pod-template-generation",
]);

const withoutKey = (labels: Record<string, string>, key: string) =>
  Object.fromEntries(Object.entries(labels).filter(([k]) => k !== key));

interface Workload {
  owner: PodOwner;
  namespace: string;
  pods: V1Pod[];
}

function workloadsOf(owned: OwnedPod[]): Workload[] {
  const found = new Map<string, Workload>();
  for (const { pod, owner } of owned) {
    if (owner === undefined) continue;
    const namespace = pod.metadata?.namespace ?? "";
    const key = `${owner.kind}/${namespace}/${owner.name}`;
    const workload = found.get(key) ?? { owner, namespace, pods: [] };
    workload.pods.push(pod);
    found.set(key, workload);
  }
  return [...found.values()];
}

const earliest = (dates: (Date | undefined)[]) =>
  new Date(Math.min(...dates.map((date) => new Date(date ?? 0).getTime())));

/** Metadata, selector and template, from the labels all the pods share and the first one's containers. */
function workloadParts({ owner, namespace, pods }: Workload) {
  const [first, ...rest] = pods.map((pod) => pod.metadata?.labels ?? {});
  const labels = Object.fromEntries(
    Object.entries(first ?? {}).filter(([k, v]) => !perPodLabels.has(k) && rest.every((l) => l[k] === v)),
  );
  const metadata: V1ObjectMeta = {
    name: owner.name,
    namespace,
    uid: labUid(owner.kind, namespace, owner.name),
    creationTimestamp: earliest(pods.map((pod) => pod.metadata?.creationTimestamp)),
    generation: 1,
    labels,
  };
  const containers = (pods[0]?.spec?.containers ?? []).map(({ name, image }) => ({ name, image }));
  const selector: V1LabelSelector = { matchLabels: labels };
  const template: V1PodTemplateSpec = { metadata: { labels }, spec: { containers } };
  return { metadata, selector, template, containers, replicas: pods.length };
}

// A Deployment's first and only rollout: revision 1 on it and on its ReplicaSet.
const revisionOne = { "deployment.kubernetes.io/revision": "1" };

function replicaSet(workload: Workload): V1ReplicaSet {
  const { metadata, selector, template, replicas } = workloadParts(workload);
  const deployment = workload.owner.deployment;
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      ...metadata,
      annotations: deployment ? revisionOne : undefined,
      ownerReferences: deployment ? [controllerRef("Deployment", deployment, workload.namespace)] : undefined,
    },
    spec: { replicas, selector, template },
  };
}

/** A Deployment selects what its ReplicaSets do, but for the pod-template-hash each adds. */
function deployment(name: string, namespace: string, replicaSets: V1ReplicaSet[]): V1Deployment {
  const labels = withoutKey(replicaSets[0]?.spec?.selector.matchLabels ?? {}, "pod-template-hash");
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name,
      namespace,
      uid: labUid("Deployment", namespace, name),
      creationTimestamp: earliest(replicaSets.map((rs) => rs.metadata?.creationTimestamp)),
      generation: 1,
      labels,
      annotations: revisionOne,
    },
    spec: {
      replicas: replicaSets.reduce((sum, rs) => sum + (rs.spec?.replicas ?? 0), 0),
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: replicaSets[0]?.spec?.template?.spec },
      strategy: { type: "RollingUpdate" },
    },
  };
}

function deploymentsOf(replicaSets: V1ReplicaSet[]): V1Deployment[] {
  const byDeployment = new Map<string, V1ReplicaSet[]>();
  for (const rs of replicaSets) {
    const ref = rs.metadata?.ownerReferences?.[0];
    if (ref === undefined) continue;
    const key = `${rs.metadata?.namespace}/${ref.name}`;
    byDeployment.set(key, [...(byDeployment.get(key) ?? []), rs]);
  }
  return [...byDeployment].map(([key, sets]) => {
    const [namespace = "", name = ""] = key.split("/");
    return deployment(name, namespace, sets);
  });
}

function service(spec: LabServiceSpec, created: Date): V1Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: spec.name,
      namespace: spec.namespace,
      uid: labUid("Service", spec.namespace, spec.name),
      creationTimestamp: created,
    },
    spec: {
      type: "ClusterIP",
      clusterIP: spec.clusterIP,
      clusterIPs: [spec.clusterIP],
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      sessionAffinity: "None",
      selector: spec.selector,
      ports: spec.ports.map((port) => ({ protocol: "TCP", targetPort: port.port, ...port })),
    },
  };
}

/** The workloads the pods declare, and the Services (made when the control plane started). */
export function labWorkloads(owned: OwnedPod[], services: LabServiceSpec[], started: Date): LabWorkloads {
  const workloads = workloadsOf(owned);
  const ofKind = (kind: PodOwner["kind"]) => workloads.filter((w) => w.owner.kind === kind);
  const replicasets = ofKind("ReplicaSet").map(replicaSet);
  const statefulsets = ofKind("StatefulSet").map((workload): V1StatefulSet => {
    const { metadata, selector, template, replicas } = workloadParts(workload);
    return { apiVersion: "apps/v1", kind: "StatefulSet", metadata, spec: { replicas, selector, template } };
  });
  const daemonsets = ofKind("DaemonSet").map((workload): V1DaemonSet => {
    const { metadata, selector, template } = workloadParts(workload);
    return { apiVersion: "apps/v1", kind: "DaemonSet", metadata, spec: { selector, template } };
  });
  // A run-once Job: one pod to complete, never restarted in place.
  const jobs = ofKind("Job").map((workload): V1Job => {
    const { metadata, selector, template, containers } = workloadParts(workload);
    const spec = { completions: 1, parallelism: 1, backoffLimit: 6, selector };
    const runOnce = { ...template, spec: { containers, restartPolicy: "Never" } };
    return { apiVersion: "batch/v1", kind: "Job", metadata, spec: { ...spec, template: runOnce } };
  });
  return {
    replicasets,
    deployments: deploymentsOf(replicasets),
    statefulsets,
    daemonsets,
    jobs,
    services: services.map((spec) => service(spec, started)),
  };
}
