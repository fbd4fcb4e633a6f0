// Reads the lab's containers back from the runtimes themselves: the pods the API stand-in serves
// are made from what dockerd and containerd really hold, never from a file of our own.

import { request } from "node:http";
import type { Runtime } from "./layout.js";
import { paths } from "./layout.js";
import { ctr } from "./runtimes.js";
import { run } from "./sh.js";

/** Labels every lab container carries; the `io.kubernetes.*` ones are kubelet's own. */
export const LABEL = {
  podName: "io.kubernetes.pod.name",
  podNamespace: "io.kubernetes.pod.namespace",
  podUid: "io.kubernetes.pod.uid",
  containerName: "io.kubernetes.container.name",
  dockerType: "io.kubernetes.docker.type",
  node: "podcap-lab/node",
  podIp: "podcap-lab/pod-ip",
  podLabels: "podcap-lab/pod-labels",
  podAnnotations: "podcap-lab/pod-annotations",
  podCreated: "podcap-lab/pod-created",
  hostVeth: "podcap-lab/host-veth",
  netns: "podcap-lab/netns",
  index: "podcap-lab/container-index",
  restartCount: "podcap-lab/restart-count",
  image: "podcap-lab/image",
  command: "podcap-lab/command",
  mounts: "podcap-lab/mounts",
  /** "true" on a pod whose containers are meant to exit (a Job's), so exited ones are not stale. */
  completes: "podcap-lab/completes",
  /** The pod's controller as JSON (a PodOwner); the API stand-in makes the workloads from it. */
  owner: "podcap-lab/owner",
} as const;

/** What controls a lab pod; `deployment` names the Deployment that owns a ReplicaSet. */
export interface PodOwner {
  kind: "ReplicaSet" | "StatefulSet" | "DaemonSet" | "Job";
  name: string;
  deployment?: string;
}

/** The owner a container's pod was made with, if any. */
export function podOwnerOf(labels: Record<string, string>): PodOwner | undefined {
  const text = labels[LABEL.owner];
  return text ? (JSON.parse(text) as PodOwner) : undefined;
}

export interface LabContainer {
  id: string;
  runtime: Runtime;
  labels: Record<string, string>;
  running: boolean;
  exitCode?: number;
  /** Unix seconds. */
  created: number;
  /** The docker sandbox (pause) container, which holds the pod's network namespace. */
  sandbox: boolean;
}

interface DockerSummary {
  Id: string;
  Labels: Record<string, string>;
  State: string;
  Status: string;
  Created: number;
}

function dockerApi<T>(path: string): Promise<T> {
  return new Promise((resolveJson, reject) => {
    const req = request({ socketPath: paths.dockerSocket, path, method: "GET" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        body += chunk;
      });
      res.on("end", () =>
        res.statusCode === 200
          ? resolveJson(JSON.parse(body) as T)
          : reject(new Error(`docker ${path}: ${body}`)),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

export async function dockerContainers(): Promise<LabContainer[]> {
  const filters = encodeURIComponent(JSON.stringify({ label: [LABEL.node] }));
  const list = await dockerApi<DockerSummary[]>(`/containers/json?all=1&filters=${filters}`);
  return list.map((c) => ({
    id: c.Id,
    runtime: "docker",
    labels: c.Labels,
    running: c.State === "running",
    exitCode: c.State === "exited" ? Number(c.Status.match(/Exited \((\d+)\)/)?.[1] ?? 0) : undefined,
    created: c.Created,
    sandbox: c.Labels[LABEL.dockerType] === "podsandbox",
  }));
}

interface CtrInfo {
  ID: string;
  Labels?: Record<string, string>;
  CreatedAt: string;
}

/** Labels never change after creation, so each container's info is read once. */
const ctrInfoCache = new Map<string, CtrInfo>();

export async function containerdContainers(): Promise<LabContainer[]> {
  const ids = (await run(ctr("containers", "ls", "-q"))).split("\n").filter(Boolean);
  const tasks = parseTaskList(await run(ctr("tasks", "ls")));
  const found: LabContainer[] = [];
  for (const id of ids) {
    let info = ctrInfoCache.get(id);
    if (!info) {
      info = JSON.parse(await run(ctr("containers", "info", id))) as CtrInfo;
      ctrInfoCache.set(id, info);
    }
    const labels = info.Labels ?? {};
    if (!labels[LABEL.node]) continue;
    const task = tasks.get(id);
    found.push({
      id,
      runtime: "containerd",
      labels,
      running: task?.status === "RUNNING",
      exitCode: task?.status === "RUNNING" ? undefined : 0,
      created: Math.floor(Date.parse(info.CreatedAt) / 1000),
      sandbox: false,
    });
  }
  for (const id of ctrInfoCache.keys()) if (!ids.includes(id)) ctrInfoCache.delete(id);
  return found;
}

/** `ctr task ls` prints `TASK PID STATUS` rows. */
export function parseTaskList(output: string): Map<string, { pid: number; status: string }> {
  const tasks = new Map<string, { pid: number; status: string }>();
  for (const line of output.split("\n").slice(1)) {
    const [id, pid, status] = line.trim().split(/\s+/);
    if (id && pid && status) tasks.set(id, { pid: Number(pid), status });
  }
  return tasks;
}

export async function labContainers(): Promise<LabContainer[]> {
  const [fromDocker, fromContainerd] = await Promise.all([dockerContainers(), containerdContainers()]);
  return [...fromDocker, ...fromContainerd];
}
