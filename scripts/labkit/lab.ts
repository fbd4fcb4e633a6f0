// The lab as a whole: bring it up (idempotent), take it down (leaving nothing), say what is up.

import { existsSync, readdirSync, rmSync } from "node:fs";
import { DNS_POD, dnsPod, initialPods, syncDnsRecords } from "./catalog.js";
import { LABEL, labContainers } from "./containers.js";
import { startControlPlane, stopControlPlane, waitForApiToShowContainers } from "./control-plane.js";
import { daemonNames, daemonPid, stopDaemon } from "./daemons.js";
import { ensureImages } from "./images.js";
import { DATA_DIR, LAB_DIR, RUN_DIR } from "./layout.js";
import { ensureNetwork, removeNetwork } from "./network.js";
import { removeUsers, startSshds, stopSshds } from "./nodes.js";
import { createPod, deletePod } from "./pods.js";
import { startRuntimes, stopRuntimes } from "./runtimes.js";
import { run, tryRun } from "./sh.js";
import { sweepStalePods } from "./stale-pods.js";

export async function up(log: (line: string) => void): Promise<void> {
  log("network: node bridge, node namespaces, bastion, pod bridges");
  await ensureNetwork();
  log("runtimes: dockerd and containerd");
  await startRuntimes();
  log("images: built locally");
  await ensureImages();
  log("nodes: sshd per node and bastion");
  await startSshds();
  const stale = await sweepStalePods();
  log(`pods${stale.length > 0 ? ` (made afresh: ${stale.join(", ")})` : ""}`);
  await syncDnsRecords();
  await createPod(dnsPod);
  const dnsIp = await podIp(DNS_POD.namespace, DNS_POD.name);
  for (const pod of initialPods(dnsIp)) await createPod(pod);
  await syncDnsRecords();
  log("control plane: Kubernetes API stand-in");
  await startControlPlane();
  await waitForApiToShowContainers();
}

async function podIp(namespace: string, name: string): Promise<string> {
  const container = (await labContainers()).find(
    (c) => c.labels[LABEL.podNamespace] === namespace && c.labels[LABEL.podName] === name,
  );
  const ip = container?.labels[LABEL.podIp];
  if (!ip) throw new Error(`pod ${namespace}/${name} has no address`);
  return ip;
}

/** Removes every pod, process, namespace, link, mount, user and file the lab made. */
export async function down(log: (line: string) => void): Promise<void> {
  log("control plane");
  await stopControlPlane();
  if (daemonPid("dockerd") && daemonPid("containerd")) {
    log("pods");
    const pods = new Set(
      (await labContainers()).map((c) => `${c.labels[LABEL.podNamespace]}/${c.labels[LABEL.podName]}`),
    );
    for (const pod of pods) {
      const [namespace, name] = pod.split("/") as [string, string];
      await deletePod(namespace, name);
    }
  }
  log("nodes");
  await stopSshds();
  await removeUsers();
  log("runtimes");
  await stopRuntimes();
  for (const name of daemonNames()) await stopDaemon(name);
  log("network");
  await removeNetwork();
  // `ip netns add` bind-mounts /run/netns onto itself the first time; lift it once it is empty.
  if (existsSync("/run/netns") && readdirSync("/run/netns").length === 0)
    await tryRun(["umount", "/run/netns"]);
  log("files");
  await unmountUnder(RUN_DIR);
  await unmountUnder(DATA_DIR);
  for (const dir of [RUN_DIR, DATA_DIR, LAB_DIR]) {
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
}

/** dockerd and containerd leave overlay and shm mounts behind when killed; lift them, deepest first. */
async function unmountUnder(dir: string): Promise<void> {
  const mounts = (await run(["findmnt", "-rn", "-o", "TARGET"]))
    .split("\n")
    .filter((m) => m.startsWith(`${dir}/`) || m === dir);
  for (const mount of mounts.sort((a, b) => b.length - a.length)) await tryRun(["umount", "-l", mount]);
}

export interface LabStatus {
  daemons: Record<string, boolean>;
  pods: number;
}

export async function status(): Promise<LabStatus> {
  const daemons = Object.fromEntries(daemonNames().map((name) => [name, daemonPid(name) !== undefined]));
  const pods =
    daemons.dockerd && daemons.containerd
      ? new Set((await labContainers()).map((c) => c.labels[LABEL.podUid])).size
      : 0;
  return { daemons, pods };
}
