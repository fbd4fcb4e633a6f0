// `scripts/lab pod ...` on the running lab, checked the way a user would: a web pod added on a
// node runs there with an address from the node's pod range, its container is really in the
// runtime and the client's HTTP reaches it; a restart and a delete are what kubectl and a
// client-node watch report, and leave no veth or netns behind; the lab holds 30+ pods at once.

import { randomBytes } from "node:crypto";
import { KubeConfig, type V1ContainerStatus, type V1Pod, Watch } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncDnsRecords, webPod } from "../../scripts/labkit/catalog.js";
import { LABEL, labContainers } from "../../scripts/labkit/containers.js";
import { NODES, nodeNamed, nodeNetns, type Runtime } from "../../scripts/labkit/layout.js";
import { createPod, deletePod } from "../../scripts/labkit/pods.js";
import { containerPid, ensureLab, kubectl, lab, labPaths, podNamed, run } from "./lab-env.js";

/** Two hex characters shared by every pod this run makes, so runs and engineers never collide. */
const tag = randomBytes(1).toString("hex");
const webName = (suffix: string) => `web-6b7f9d8c5-${suffix}`;
/** The scale pods live in a namespace of their own: the client only talks to `web.demo.svc`. */
const SCALE_NS = `scale-${tag}`;
const CTR = ["--address", "/run/podcap-lab/containerd/containerd.sock", "-n", "k8s.io"];

beforeAll(ensureLab);

async function eventually<T>(check: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function getPod(namespace: string, name: string): V1Pod | undefined {
  const out = kubectl("get", "pod", "-n", namespace, name, "-o", "json");
  return out.code === 0 ? (JSON.parse(out.stdout) as V1Pod) : undefined;
}

const webStatus = (pod: V1Pod | undefined): V1ContainerStatus | undefined =>
  pod?.status?.containerStatuses?.find((c) => c.name === "web");

const splitId = (containerID: string) => containerID.split("://") as [Runtime, string];

/** What the runtime itself says is running, bypassing the lab and the API. */
function runningIds(runtime: Runtime): string[] {
  const out =
    runtime === "docker"
      ? run("docker", ["ps", "-q", "--no-trunc"])
      : run("ctr", [...CTR, "task", "ls", "-q"]);
  return out.stdout.split("\n").filter(Boolean);
}

/** The labels the lab put on a container: its host veth and (containerd) its netns. */
function containerLabels(containerID: string): Record<string, string> {
  const [runtime, id] = splitId(containerID);
  return runtime === "docker"
    ? JSON.parse(run("docker", ["inspect", "-f", "{{json .Config.Labels}}", id]).stdout)
    : JSON.parse(run("ctr", [...CTR, "containers", "info", id]).stdout).Labels;
}

/** The lab DNS's answer for the web service, asked from inside the client pod. */
function webServiceAddresses(): string {
  const client = podNamed("client-");
  const dns = podNamed("coredns-", "kube-system");
  const pid = String(containerPid(client.containerIds[0] as string));
  return run("nsenter", ["-n", "-t", pid, "busybox", "nslookup", "web.demo.svc.cluster.local", dns.ip])
    .stdout;
}

interface Seen {
  type: string;
  name: string;
  containerID?: string;
  restartCount?: number;
}

/** A client-node Watch on a namespace's pods, as podcap's kube stage would open one. */
async function watchPods(namespace: string) {
  const config = new KubeConfig();
  config.loadFromFile(labPaths.kubeconfig);
  const seen: Seen[] = [];
  const request = await new Watch(config).watch(
    `/api/v1/namespaces/${namespace}/pods`,
    {},
    (type: string, pod: V1Pod) => {
      const web = webStatus(pod);
      const name = pod.metadata?.name as string;
      seen.push({ type, name, containerID: web?.containerID, restartCount: web?.restartCount });
    },
    () => {},
  );
  const saw = (what: string, match: (event: Seen) => boolean) =>
    eventually(() => seen.find(match), `the watch to see ${what}`).catch((error: Error) => {
      throw new Error(`${error.message}; it saw ${JSON.stringify(seen)}`);
    });
  return { seen, saw, stop: () => request.abort() };
}

const lifecycleNodes: { node: string; runtime: Runtime }[] = [
  { node: "node-a", runtime: "docker" },
  { node: "node-b", runtime: "containerd" },
];

describe.each(lifecycleNodes)(
  "a web pod added on $node ($runtime), restarted and deleted",
  ({ node, runtime }) => {
    // A `z` first: the pod sorts after the demo's own web pods, which other tests pick by order.
    const suffix = `z${tag}${node.slice(-1)}0`;
    const name = webName(suffix);
    const range = `10.244.${nodeNamed(node).podCidrIndex}.`;
    let watch: Awaited<ReturnType<typeof watchPods>>;
    /** The pods' gateway, as their ARP caches hold it: a bridge port coming or going must not move it. */
    const gatewayMac = () =>
      run("ip", ["-n", nodeNetns(nodeNamed(node)), "-br", "link", "show", "cni0"]).stdout.split(/\s+/)[2];
    let gatewayBefore: string | undefined;
    beforeAll(async () => {
      watch = await watchPods("demo");
      gatewayBefore = gatewayMac();
    });
    afterAll(async () => {
      watch?.stop();
      // Whatever failed above: the runtimes, not the API (a poll behind), say whether it is left.
      if (await deletePod("demo", name)) await syncDnsRecords();
    });

    it("runs on the node with an address from its pod range, its container real, ADDED on the watch", async () => {
      const started = Date.now();
      const added = lab("pod", "add-web", suffix, node);
      expect(added.code, added.stderr).toBe(0);
      console.info(`pod add-web on ${node}: ${Date.now() - started} ms`);
      const pod = await eventually(() => {
        const current = getPod("demo", name);
        return current?.status?.phase === "Running" ? current : undefined;
      }, `${name} Running`);
      expect(pod.spec?.nodeName).toBe(node);
      expect(kubectl("get", "node", node, "-o", "jsonpath={.spec.podCIDR}").stdout).toBe(`${range}0/24`);
      expect(pod.status?.podIP?.startsWith(range), pod.status?.podIP).toBe(true);
      const [scheme, id] = splitId(webStatus(pod)?.containerID as string);
      expect(scheme).toBe(runtime);
      expect(runningIds(runtime)).toContain(id);
      await watch.saw("ADDED", (e) => e.type === "ADDED" && e.name === name);
    });

    it("is in the lab DNS and receives the client's HTTP requests", async () => {
      const pod = getPod("demo", name) as V1Pod;
      const ip = pod.status?.podIP as string;
      await eventually(() => (webServiceAddresses().includes(`Address: ${ip}\n`) ? true : undefined), "DNS");
      const client = podNamed("client-");
      const pid = String(containerPid(webStatus(pod)?.containerID as string));
      const getFromClient = `src host ${client.ip} and tcp dst port 80 and tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420`;
      const args = ["10", "nsenter", "-n", "-t", pid, "tcpdump", "-i", "eth0", "-nn", "-A", "-l", "-c", "1"];
      const seen = run("timeout", [...args, getFromClient]);
      expect(seen.code, seen.stderr).toBe(0);
      expect(seen.stdout).toContain(`${client.ip}.`);
      expect(seen.stdout).toContain(`> ${ip}.80:`);
      expect(seen.stdout).toMatch(/GET \/ HTTP\/1\.[01]/);
    });

    it("restarts its container: a new containerID, restartCount 1, MODIFIED on the watch", async () => {
      const before = getPod("demo", name) as V1Pod;
      const oldId = webStatus(before)?.containerID as string;
      const restarted = lab("pod", "restart", "demo", name, "web");
      expect(restarted.code, restarted.stderr).toBe(0);
      const after = await eventually(() => {
        const current = getPod("demo", name);
        const web = webStatus(current);
        const fresh = web?.restartCount === 1 && web.state?.running && web.containerID !== oldId;
        return fresh && current?.status?.phase === "Running" ? current : undefined;
      }, "the restart in kubectl");
      expect(after.metadata?.uid).toBe(before.metadata?.uid);
      expect(after.status?.podIP).toBe(before.status?.podIP);
      const newId = webStatus(after)?.containerID as string;
      expect(runningIds(runtime)).toContain(splitId(newId)[1]);
      expect(runningIds(runtime)).not.toContain(splitId(oldId)[1]);
      await watch.saw(
        "MODIFIED",
        (e) => e.type === "MODIFIED" && e.containerID === newId && e.restartCount === 1,
      );
    });

    it("deletes it: gone from the API (DELETED on the watch), its veth, netns and DNS record too", async () => {
      const pod = getPod("demo", name) as V1Pod;
      const labels = containerLabels(webStatus(pod)?.containerID as string);
      const veth = labels[LABEL.hostVeth] as string;
      const netns = labels[LABEL.netns];
      const vethShown = () => run("ip", ["-n", nodeNetns(nodeNamed(node)), "link", "show", veth]).code === 0;
      const netnsListed = () =>
        run("ip", ["netns", "list"])
          .stdout.split("\n")
          .some((line) => line.split(" ")[0] === netns);
      expect(vethShown()).toBe(true);
      if (runtime === "containerd") expect(netnsListed()).toBe(true);
      const deleted = lab("pod", "delete", "demo", name);
      expect(deleted.code, deleted.stderr).toBe(0);
      await eventually(() => (getPod("demo", name) ? undefined : true), `${name} gone from kubectl`);
      await watch.saw("DELETED", (e) => e.type === "DELETED" && e.name === name);
      expect(vethShown()).toBe(false);
      if (runtime === "containerd") expect(netnsListed()).toBe(false);
      expect(gatewayMac()).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      expect(gatewayMac()).toBe(gatewayBefore);
      // 3 is NET_ADDR_SET: chosen, not taken from a port, so no port's coming or going moves it.
      const assigned = run("ip", [
        "netns",
        "exec",
        nodeNetns(nodeNamed(node)),
        "cat",
        "/sys/class/net/cni0/addr_assign_type",
      ]);
      expect(assigned.stdout.trim()).toBe("3");
      expect(webServiceAddresses()).not.toContain(`Address: ${pod.status?.podIP}\n`);
    });
  },
);

// The pods are made in this process by the lab's own kubelet, the createPod and syncDnsRecords that
// `scripts/lab pod add-web` calls: the command's start-up (over a second, mostly loading
// @kubernetes/client-node) would otherwise be most of the time. The command is tested above.
describe("the lab at scale", () => {
  const scale = Array.from({ length: 25 }, (_, i) => {
    const suffix = `s${tag}${String(i).padStart(2, "0")}`;
    return { suffix, name: webName(suffix), node: (NODES[i % NODES.length] as (typeof NODES)[number]).name };
  });
  // Until the runtimes themselves hold none of them: a pod left here would come back at the next
  // `lab up` (the lab's pods are its containers) and meet later tests, as recovery.test's did.
  afterAll(async () => {
    const left = async () =>
      new Set(
        (await labContainers())
          .filter((c) => c.labels[LABEL.podNamespace] === SCALE_NS)
          .map((c) => c.labels[LABEL.podName] as string),
      );
    for (let round = 0, names = await left(); names.size > 0 && round < 3; round += 1, names = await left())
      for (const name of names) await deletePod(SCALE_NS, name);
    await syncDnsRecords();
    expect([...(await left())], "scale pods still on the runtimes").toEqual([]);
    await eventually(
      () => (kubectl("get", "pods", "-n", SCALE_NS, "-o", "name").stdout ? undefined : true),
      "no scale pod left",
    );
  }, 240_000);

  it("holds 30+ pods over the four nodes, all Running with distinct addresses", async () => {
    const started = Date.now();
    for (const { suffix, node } of scale) await createPod(webPod(suffix, node, SCALE_NS));
    await syncDnsRecords();
    const perPod = (Date.now() - started) / scale.length;
    console.info(`${scale.length} pods added in ${Date.now() - started} ms, ${perPod.toFixed(0)} ms per pod`);
    const wanted = new Set(scale.map((p) => p.name));
    const pods = await eventually(() => {
      const items = JSON.parse(kubectl("get", "pods", "-A", "-o", "json").stdout).items as V1Pod[];
      const running = items.filter(
        (p) => wanted.has(p.metadata?.name as string) && p.status?.phase === "Running",
      );
      return running.length === wanted.size ? items : undefined;
    }, "every scale pod Running");
    expect(pods.length).toBeGreaterThanOrEqual(30);
    expect(new Set(pods.map((p) => p.spec?.nodeName))).toEqual(new Set(NODES.map((n) => n.name)));
    const ips = pods.filter((p) => p.status?.phase === "Running").map((p) => p.status?.podIP);
    expect(new Set(ips).size).toBe(ips.length);
    for (const { name, node } of scale) {
      const pod = pods.find((p) => p.metadata?.name === name) as V1Pod;
      expect(pod.spec?.nodeName).toBe(node);
      expect(pod.status?.podIP).toMatch(new RegExp(`^10\\.244\\.${nodeNamed(node).podCidrIndex}\\.\\d+$`));
    }
    const table = kubectl("get", "pods", "-A").stdout.split("\n");
    for (const name of wanted) expect(table.find((row) => row.includes(name))).toMatch(/\s1\/1\s+Running\s/);
  }, 60_000);
});
