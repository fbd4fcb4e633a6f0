// The lab's kubelet: makes a pod out of real containers on a node's runtime (a sandbox netns
// plugged into cni0, then the containers joined to it), deletes it, restarts one of its containers.

import { createHash, randomBytes, randomUUID } from "node:crypto";
import { LABEL, type LabContainer, labContainers, type PodOwner, podOwnerOf } from "./containers.js";
import { type LabNode, nodeNamed, PREFIX } from "./layout.js";
import { type PodNetns, plugPod, unplugPod } from "./network.js";
import { withPodsLock } from "./pods-lock.js";
import { ctr, docker } from "./runtimes.js";
import { run, tryRun } from "./sh.js";

export interface LabContainerSpec {
  name: string;
  image: string;
  command: string[];
  /** Host path -> container path, read-only. */
  mounts?: Record<string, string>;
}

export interface LabPodSpec {
  namespace: string;
  name: string;
  node: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** A Job's pod: its containers exit, and that is their normal state. */
  completes?: boolean;
  /** The workload the pod belongs to, as its ownerReferences will say. */
  owner?: PodOwner;
  containers: LabContainerSpec[];
}

export interface PodIdentity {
  spec: LabPodSpec;
  node: LabNode;
  uid: string;
  ip: string;
  hostVeth: string;
  created: string;
}

/** Exported for tests, which make the containers a pod would have without a runtime. */
export function podLabels(pod: PodIdentity, netns: string): Record<string, string> {
  return {
    [LABEL.podName]: pod.spec.name,
    [LABEL.podNamespace]: pod.spec.namespace,
    [LABEL.podUid]: pod.uid,
    [LABEL.node]: pod.node.name,
    [LABEL.podIp]: pod.ip,
    [LABEL.podLabels]: JSON.stringify(pod.spec.labels ?? {}),
    [LABEL.podAnnotations]: JSON.stringify(pod.spec.annotations ?? {}),
    [LABEL.podCreated]: pod.created,
    [LABEL.hostVeth]: pod.hostVeth,
    [LABEL.netns]: netns,
    [LABEL.completes]: String(pod.spec.completes ?? false),
    ...(pod.spec.owner && { [LABEL.owner]: JSON.stringify(pod.spec.owner) }),
  };
}

export function containerLabels(container: LabContainerSpec, index: number, restartCount: number) {
  return {
    [LABEL.containerName]: container.name,
    [LABEL.index]: String(index),
    [LABEL.restartCount]: String(restartCount),
    [LABEL.image]: container.image,
    [LABEL.command]: JSON.stringify(container.command),
    [LABEL.mounts]: JSON.stringify(container.mounts ?? {}),
  };
}

const labelFlags = (labels: Record<string, string>) =>
  Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]);

async function allocateIp(node: LabNode): Promise<string> {
  const taken = new Set((await labContainers()).map((c) => c.labels[LABEL.podIp]));
  for (let host = 2; host < 255; host++) {
    const candidate = `10.244.${node.podCidrIndex}.${host}`;
    if (!taken.has(candidate)) return candidate;
  }
  throw new Error(`no pod address left on ${node.name}`);
}

export const createPod = (spec: LabPodSpec): Promise<void> => withPodsLock(() => createPodLocked(spec));

async function createPodLocked(spec: LabPodSpec): Promise<void> {
  const existing = (await labContainers()).filter((c) => isOf(c, spec.namespace, spec.name));
  if (existing.length > 0) return;
  const node = nodeNamed(spec.node);
  const uid = randomUUID();
  const pod: PodIdentity = {
    spec,
    node,
    uid,
    ip: await allocateIp(node),
    hostVeth: `veth${createHash("sha256").update(uid).digest("hex").slice(0, 8)}`,
    created: new Date().toISOString(),
  };
  if (node.runtime === "docker") await createDockerPod(pod);
  else await createContainerdPod(pod);
}

/**
 * A gratuitous ARP, as the CNI bridge plugin sends: the node and the pods beside it that knew this
 * address on a deleted pod learn the new MAC now, instead of black-holing it for up to ~45 s.
 */
const announce = (netnsPath: string, ip: string) =>
  tryRun(["nsenter", `--net=${netnsPath}`, "--", "busybox", "arping", "-U", "-c", "1", "-I", "eth0", ip]);

async function createDockerPod(pod: PodIdentity): Promise<void> {
  const { spec } = pod;
  const sandboxName = `k8s_POD_${spec.name}_${spec.namespace}_${pod.uid}_0`;
  const labels = { ...podLabels(pod, ""), [LABEL.dockerType]: "podsandbox" };
  const sandboxArgs = ["run", "-d", "--name", sandboxName, "--network", "none", "--hostname", spec.name];
  const sandbox = (
    await run(docker(...sandboxArgs, ...labelFlags(labels), "podcap-lab/busybox:1", "sleep", "2147483647"))
  ).trim();
  const pid = Number((await run(docker("inspect", "-f", "{{.State.Pid}}", sandbox))).trim());
  await plugPod(pod.node, { pid }, pod.hostVeth, pod.ip);
  await announce(`/proc/${pid}/ns/net`, pod.ip);
  for (const [index, container] of spec.containers.entries())
    await startDockerContainer(pod, sandbox, container, index, 0);
}

async function startDockerContainer(
  pod: PodIdentity,
  sandbox: string,
  c: LabContainerSpec,
  index: number,
  restarts: number,
) {
  const labels = {
    ...podLabels(pod, ""),
    ...containerLabels(c, index, restarts),
    [LABEL.dockerType]: "container",
  };
  const name = `k8s_${c.name}_${pod.spec.name}_${pod.spec.namespace}_${pod.uid}_${restarts}`;
  const mounts = Object.entries(c.mounts ?? {}).flatMap(([from, to]) => ["-v", `${from}:${to}:ro`]);
  await run(
    docker(
      "run",
      "-d",
      "--name",
      name,
      "--network",
      `container:${sandbox}`,
      ...mounts,
      ...labelFlags(labels),
      c.image,
      ...c.command,
    ),
  );
}

async function createContainerdPod(pod: PodIdentity): Promise<void> {
  const netns = `${PREFIX}-pod-${pod.uid.slice(0, 8)}`;
  await run(["ip", "netns", "add", netns]);
  await plugPod(pod.node, { name: netns } satisfies PodNetns, pod.hostVeth, pod.ip);
  await announce(`/run/netns/${netns}`, pod.ip);
  for (const [index, container] of pod.spec.containers.entries())
    await startContainerdTask(await createContainerdContainer(pod, netns, container, index, 0));
}

/** The container record only, like CRI's CreateContainer; its task is started apart. */
async function createContainerdContainer(
  pod: PodIdentity,
  netns: string,
  c: LabContainerSpec,
  index: number,
  restarts: number,
): Promise<string> {
  const id = randomBytes(32).toString("hex");
  const labels = { ...podLabels(pod, netns), ...containerLabels(c, index, restarts) };
  const mounts = Object.entries(c.mounts ?? {}).flatMap(([from, to]) => [
    "--mount",
    `type=bind,src=${from},dst=${to},options=rbind:ro`,
  ]);
  const image = `docker.io/${c.image}`;
  await run(
    ctr(
      "containers",
      "create",
      "--with-ns",
      `network:/run/netns/${netns}`,
      ...mounts,
      ...labelFlags(labels),
      // Unlike `ctr run`, `containers create` would read the command's own flags (httpd's -h).
      "--",
      image,
      id,
      ...c.command,
    ),
  );
  return id;
}

const startContainerdTask = (id: string) => run(ctr("tasks", "start", "--detach", "--null-io", id));

const isOf = (c: LabContainer, namespace: string, name: string) =>
  c.labels[LABEL.podNamespace] === namespace && c.labels[LABEL.podName] === name;

async function removeContainer(c: LabContainer): Promise<void> {
  if (c.runtime === "docker") {
    await tryRun(docker("rm", "-f", c.id));
    return;
  }
  await stopContainerdTask(c.id);
  await tryRun(ctr("containers", "delete", c.id));
}

/** Kills a container's task and waits until it is gone; the container record stays. */
async function stopContainerdTask(id: string): Promise<void> {
  await tryRun(ctr("tasks", "kill", "-s", "SIGKILL", id));
  for (let attempt = 0; attempt < 50; attempt++) {
    if ((await tryRun(ctr("tasks", "delete", id))).code === 0) break;
    if ((await tryRun(ctr("tasks", "ls", "-q"))).stdout.split("\n").includes(id) === false) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const deletePod = (namespace: string, name: string): Promise<boolean> =>
  withPodsLock(() => deletePodLocked(namespace, name));

export async function deletePodLocked(namespace: string, name: string): Promise<boolean> {
  const containers = (await labContainers()).filter((c) => isOf(c, namespace, name));
  if (containers.length === 0) return false;
  // App containers first, the sandbox last: as kubelet does, the netns goes with the sandbox.
  for (const c of containers.filter((x) => !x.sandbox)) await removeContainer(c);
  for (const c of containers.filter((x) => x.sandbox)) await removeContainer(c);
  const first = containers[0] as LabContainer;
  await unplugPod(nodeNamed(first.labels[LABEL.node] as string), first.labels[LABEL.hostVeth] as string);
  const netns = first.labels[LABEL.netns];
  if (netns) await tryRun(["ip", "netns", "del", netns]);
  return true;
}

/** Kills one container and starts its successor, with a new ID and restartCount + 1, as kubelet does. */
export const restartContainer = (namespace: string, name: string, containerName: string): Promise<void> =>
  withPodsLock(() => restartContainerLocked(namespace, name, containerName));

async function restartContainerLocked(namespace: string, name: string, containerName: string) {
  const containers = (await labContainers()).filter((c) => isOf(c, namespace, name));
  const old = containers.find((c) => !c.sandbox && c.labels[LABEL.containerName] === containerName);
  if (!old) throw new Error(`no container ${containerName} in pod ${namespace}/${name}`);
  const l = old.labels;
  const pod: PodIdentity = {
    spec: {
      namespace,
      name,
      node: l[LABEL.node] as string,
      labels: JSON.parse(l[LABEL.podLabels] ?? "{}"),
      annotations: JSON.parse(l[LABEL.podAnnotations] ?? "{}"),
      completes: l[LABEL.completes] === "true",
      owner: podOwnerOf(l),
      containers: [],
    },
    node: nodeNamed(l[LABEL.node] as string),
    uid: l[LABEL.podUid] as string,
    ip: l[LABEL.podIp] as string,
    hostVeth: l[LABEL.hostVeth] as string,
    created: l[LABEL.podCreated] as string,
  };
  const spec: LabContainerSpec = {
    name: containerName,
    image: l[LABEL.image] as string,
    command: JSON.parse(l[LABEL.command] ?? "[]"),
    mounts: JSON.parse(l[LABEL.mounts] ?? "{}"),
  };
  const index = Number(l[LABEL.index]);
  const restarts = Number(l[LABEL.restartCount]) + 1;
  if (old.runtime === "docker") {
    const sandbox = containers.find((c) => c.sandbox);
    if (!sandbox) throw new Error(`pod ${namespace}/${name} has lost its sandbox`);
    await removeContainer(old);
    await startDockerContainer(pod, sandbox.id, spec, index, restarts);
    return;
  }
  // A containerd pod has no sandbox container: were its only record deleted before the successor's
  // exists, the pod would vanish from the API for a poll (DELETED, then ADDED) instead of restarting.
  await stopContainerdTask(old.id);
  const successor = await createContainerdContainer(pod, l[LABEL.netns] as string, spec, index, restarts);
  await tryRun(ctr("containers", "delete", old.id));
  await startContainerdTask(successor);
}
