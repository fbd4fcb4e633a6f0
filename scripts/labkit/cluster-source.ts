// The API stand-in's view of the cluster, made from the real containers on every poll: container
// IDs, node names, pod IPs, labels, restart counts and owners are whatever dockerd and containerd
// hold; the workloads are those the pods name (lab-workloads.ts), the Services the catalog's.

import { release } from "node:os";
import type { V1ContainerStatus, V1Namespace, V1Node, V1Pod } from "@kubernetes/client-node";
import type { ClusterSnapshot, ClusterSource } from "./apiserver/source.js";
import { labServices } from "./catalog.js";
import { LABEL, type LabContainer, labContainers, type PodOwner, podOwnerOf } from "./containers.js";
import { controllerRef, labWorkloads, type OwnedPod } from "./lab-workloads.js";
import { type LabNode, NODES, podCidr } from "./layout.js";
import { runtimeChanges } from "./runtime-changes.js";
import { runtimeVersions } from "./runtimes.js";

const NAMESPACES = ["default", "demo", "kube-system", "kube-public"];

export interface RuntimeVersions {
  docker: string;
  containerd: string;
}

export class RuntimeClusterSource implements ClusterSource {
  private readonly startedAt = new Date().toISOString();
  private versions?: RuntimeVersions;

  async snapshot(): Promise<ClusterSnapshot> {
    this.versions ??= await runtimeVersions();
    return labSnapshot(await labContainers(), this.startedAt, this.versions);
  }

  changes(onChange: () => void): () => void {
    return runtimeChanges(onChange);
  }
}

/** The cluster these containers make; apart from the runtimes, so tests can hand it containers. */
export function labSnapshot(containers: LabContainer[], startedAt: string, versions: RuntimeVersions) {
  const owned = podsOf(containers);
  const pods = owned.map(({ pod }) => pod);
  const namespaces = new Set([...NAMESPACES, ...pods.map((p) => p.metadata?.namespace as string)]);
  return {
    namespaces: [...namespaces].map((name) => namespaceObject(name, startedAt)),
    nodes: NODES.map((node) => nodeObject(node, startedAt, versions)),
    pods,
    ...labWorkloads(owned, labServices, new Date(startedAt)),
  } satisfies ClusterSnapshot;
}

function namespaceObject(name: string, created: string): V1Namespace {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      uid: `ns-${name}`,
      creationTimestamp: new Date(created),
      labels: { "kubernetes.io/metadata.name": name },
    },
    status: { phase: "Active" },
  };
}

function nodeObject(node: LabNode, created: string, versions: RuntimeVersions): V1Node {
  const runtimeVersion =
    node.runtime === "docker" ? `docker://${versions.docker}` : `containerd://${versions.containerd}`;
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: node.name,
      uid: `node-${node.name}`,
      creationTimestamp: new Date(created),
      labels: {
        "kubernetes.io/hostname": node.name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
      },
    },
    spec: { podCIDR: podCidr(node), podCIDRs: [podCidr(node)] },
    status: {
      addresses: [
        { type: "InternalIP", address: node.ip },
        { type: "Hostname", address: node.name },
      ],
      conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "lab node is ready" }],
      nodeInfo: {
        architecture: "amd64",
        bootID: "",
        containerRuntimeVersion: runtimeVersion,
        kernelVersion: release(),
        kubeProxyVersion: "v1.32.0",
        kubeletVersion: "v1.32.0",
        machineID: "",
        operatingSystem: "linux",
        osImage: "Debian GNU/Linux 12 (bookworm)",
        systemUUID: "",
      },
    },
  };
}

function podsOf(containers: LabContainer[]): OwnedPod[] {
  const byUid = new Map<string, LabContainer[]>();
  for (const c of containers) {
    const uid = c.labels[LABEL.podUid] as string;
    byUid.set(uid, [...(byUid.get(uid) ?? []), c]);
  }
  return [...byUid.values()].map((podContainers) => {
    const owner = podOwnerOf((podContainers[0] as LabContainer).labels);
    return { pod: podObject(podContainers, owner), owner };
  });
}

const iso = (unixSeconds: number) => new Date(unixSeconds * 1000);

function containerStatus(c: LabContainer): V1ContainerStatus {
  const image = c.labels[LABEL.image] as string;
  return {
    name: c.labels[LABEL.containerName] as string,
    containerID: `${c.runtime}://${c.id}`,
    image,
    imageID: image,
    ready: c.running,
    started: c.running,
    restartCount: Number(c.labels[LABEL.restartCount] ?? 0),
    state: c.running
      ? { running: { startedAt: iso(c.created) } }
      : {
          terminated: {
            exitCode: c.exitCode ?? 0,
            reason: c.exitCode ? "Error" : "Completed",
            finishedAt: iso(c.created),
          },
        },
  };
}

function phaseOf(statuses: V1ContainerStatus[]): string {
  if (statuses.length === 0) return "Pending";
  if (statuses.some((s) => s.state?.running)) return "Running";
  return statuses.every((s) => s.state?.terminated?.exitCode === 0) ? "Succeeded" : "Failed";
}

function podObject(containers: LabContainer[], owner: PodOwner | undefined): V1Pod {
  const first = containers[0] as LabContainer;
  const l = first.labels;
  const node = NODES.find((n) => n.name === l[LABEL.node]);
  const apps = containers
    .filter((c) => !c.sandbox)
    .sort((a, b) => Number(a.labels[LABEL.index]) - Number(b.labels[LABEL.index]));
  const statuses = apps.map(containerStatus);
  const phase = phaseOf(statuses);
  const ready = phase === "Running" && statuses.every((s) => s.ready);
  const namespace = l[LABEL.podNamespace] as string;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: l[LABEL.podName],
      namespace,
      uid: l[LABEL.podUid],
      creationTimestamp: new Date(l[LABEL.podCreated] as string),
      labels: JSON.parse(l[LABEL.podLabels] ?? "{}"),
      annotations: JSON.parse(l[LABEL.podAnnotations] ?? "{}"),
      ownerReferences: owner && [controllerRef(owner.kind, owner.name, namespace)],
    },
    spec: {
      nodeName: l[LABEL.node],
      containers: apps.map((c) => ({
        name: c.labels[LABEL.containerName] as string,
        image: c.labels[LABEL.image],
      })),
      // A Job's pod is not restarted when it ends: that is how it completes.
      restartPolicy: l[LABEL.completes] === "true" ? "Never" : "Always",
    },
    status: {
      phase,
      hostIP: node?.ip,
      podIP: l[LABEL.podIp],
      podIPs: [{ ip: l[LABEL.podIp] as string }],
      startTime: new Date(l[LABEL.podCreated] as string),
      conditions: [{ type: "Ready", status: ready ? "True" : "False" }],
      containerStatuses: statuses,
    },
  };
}
