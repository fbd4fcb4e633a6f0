// The lab's wires. Each node is a network namespace on a node bridge (node-c sits behind the
// bastion on a private link and is reachable only through it); each node has a cni0 bridge for its
// pods, and pod-to-pod traffic between nodes is routed like flannel's host-gw. The host keeps
// unreachable routes for what it must not reach, so no lab packet ever leaves the machine.

import {
  BASTION,
  type LabNode,
  NODE_NET,
  NODES,
  nodeNetns,
  POD_SUPERNET,
  PREFIX,
  PRIVATE_NET,
  podCidr,
  podGateway,
  SERVICE_CIDR,
} from "./layout.js";
import { run, tryRun } from "./sh.js";

const ip = (...args: string[]) => run(["ip", ...args]);
const ipIn = (netns: string, ...args: string[]) => run(["ip", "-n", netns, ...args]);

/** A veth pair: `end` stays in `netns` (the host's when undefined), its peer becomes eth0 in `peerNetns`. */
const addVeth = (netns: string | undefined, end: string, peerNetns: string) =>
  run([
    "ip",
    ...(netns ? ["-n", netns] : []),
    "link",
    "add",
    end,
    "type",
    "veth",
    "peer",
    "name",
    "eth0",
    "netns",
    peerNetns,
  ]);

async function exists(argv: string[]): Promise<boolean> {
  return (await tryRun(argv)).code === 0;
}

/** A namespace with lo up and forwarding on, as a node or router has it. */
async function ensureRouterNetns(netns: string): Promise<void> {
  if (!(await exists(["ip", "netns", "pids", netns]))) await ip("netns", "add", netns);
  await ipIn(netns, "link", "set", "lo", "up");
  await run(["ip", "netns", "exec", netns, "sysctl", "-qw", "net.ipv4.ip_forward=1"]);
}

/** Plugs `netns` into the node bridge through a veth whose host end is named `hostEnd`. */
async function plugIntoNodeBridge(netns: string, hostEnd: string, address: string): Promise<void> {
  if (!(await exists(["ip", "link", "show", hostEnd]))) {
    await addVeth(undefined, hostEnd, netns);
  }
  await ip("link", "set", hostEnd, "master", NODE_NET.bridge, "up");
  await ipIn(netns, "addr", "replace", `${address}/${NODE_NET.prefix}`, "dev", "eth0");
  await ipIn(netns, "link", "set", "eth0", "up");
}

async function ensureNodeBridge(): Promise<void> {
  if (!(await exists(["ip", "link", "show", NODE_NET.bridge])))
    await ip("link", "add", NODE_NET.bridge, "type", "bridge");
  await ip("addr", "replace", `${NODE_NET.gateway}/${NODE_NET.prefix}`, "dev", NODE_NET.bridge);
  await ip("link", "set", NODE_NET.bridge, "up");
  for (const cidr of [POD_SUPERNET, PRIVATE_NET.cidr, SERVICE_CIDR])
    await ip("route", "replace", "unreachable", cidr);
}

async function ensureBastion(): Promise<void> {
  await ensureRouterNetns(BASTION.netns);
  await plugIntoNodeBridge(BASTION.netns, `${PREFIX}-bastion`, BASTION.ip);
}

/** Where `from` sends packets for `to`'s pods and node address. */
function nextHop(from: LabNode, to: LabNode): string | undefined {
  if (from.behindBastion === to.behindBastion) return from.behindBastion ? undefined : to.ip;
  return from.behindBastion ? PRIVATE_NET.bastionIp : BASTION.ip;
}

async function ensureNode(node: LabNode): Promise<void> {
  const netns = nodeNetns(node);
  await ensureRouterNetns(netns);
  if (node.behindBastion) {
    if (!(await exists(["ip", "-n", BASTION.netns, "link", "show", node.name]))) {
      await addVeth(BASTION.netns, node.name, netns);
    }
    await ipIn(
      BASTION.netns,
      "addr",
      "replace",
      `${PRIVATE_NET.bastionIp}/${PRIVATE_NET.prefix}`,
      "dev",
      node.name,
    );
    await ipIn(BASTION.netns, "link", "set", node.name, "up");
    await ipIn(netns, "addr", "replace", `${node.ip}/${PRIVATE_NET.prefix}`, "dev", "eth0");
    await ipIn(netns, "link", "set", "eth0", "up");
    await ipIn(netns, "route", "replace", NODE_NET.cidr, "via", PRIVATE_NET.bastionIp);
  } else {
    await plugIntoNodeBridge(netns, `${PREFIX}-${node.name}`, node.ip);
    await ipIn(netns, "route", "replace", PRIVATE_NET.cidr, "via", BASTION.ip);
  }
  if (!(await exists(["ip", "-n", netns, "link", "show", "cni0"])))
    await ipIn(netns, "link", "add", "cni0", "type", "bridge");
  // A bridge left to itself takes the lowest MAC among its ports, so deleting a pod could change
  // the pods' gateway MAC under their ARP caches: every pod of the node cut off for up to ~30 s.
  // Set once, as the CNI bridge plugin does, it stays.
  await ipIn(netns, "link", "set", "cni0", "address", gatewayMac(node));
  await ipIn(netns, "addr", "replace", `${podGateway(node)}/24`, "dev", "cni0");
  await ipIn(netns, "link", "set", "cni0", "up");
  for (const other of NODES) {
    const hop = other === node ? undefined : nextHop(node, other);
    if (hop) await ipIn(netns, "route", "replace", podCidr(other), "via", hop);
  }
  await ipIn(BASTION.netns, "route", "replace", podCidr(node), "via", node.ip);
}

export async function ensureNetwork(): Promise<void> {
  await ensureNodeBridge();
  await ensureBastion();
  for (const node of NODES) await ensureNode(node);
}

/** Where a pod's network namespace is: a pinned name (containerd) or a process (docker's sandbox). */
export type PodNetns = { name: string } | { pid: number };

const netnsArg = (target: PodNetns) => ("name" in target ? target.name : String(target.pid));
const netnsPath = (target: PodNetns) =>
  "name" in target ? `/run/netns/${target.name}` : `/proc/${target.pid}/ns/net`;
const inPod = (target: PodNetns, ...args: string[]) =>
  run(["nsenter", `--net=${netnsPath(target)}`, "--", "ip", ...args]);

/** A locally administered MAC that spells the node's pod gateway: 10.244.4.1 -> 02:00:0a:f4:04:01. */
const gatewayMac = (node: LabNode) =>
  [
    "02",
    "00",
    ...podGateway(node)
      .split(".")
      .map((octet) => Number(octet).toString(16).padStart(2, "0")),
  ].join(":");

/** The CNI bridge plugin's job: a veth from the node's cni0 into the pod, an address, a default route. */
export async function plugPod(
  node: LabNode,
  target: PodNetns,
  hostVeth: string,
  podIp: string,
): Promise<void> {
  const netns = nodeNetns(node);
  await addVeth(netns, hostVeth, netnsArg(target));
  await ipIn(netns, "link", "set", hostVeth, "master", "cni0", "up");
  await inPod(target, "link", "set", "lo", "up");
  await inPod(target, "addr", "add", `${podIp}/24`, "dev", "eth0");
  await inPod(target, "link", "set", "eth0", "up");
  await inPod(target, "route", "add", "default", "via", podGateway(node));
}

export async function unplugPod(node: LabNode, hostVeth: string): Promise<void> {
  await tryRun(["ip", "-n", nodeNetns(node), "link", "del", hostVeth]);
}

export async function removeNetwork(): Promise<void> {
  for (const line of (await tryRun(["ip", "netns", "list"])).stdout.split("\n")) {
    const name = line.split(" ")[0];
    if (name?.startsWith(`${PREFIX}-`)) await tryRun(["ip", "netns", "del", name]);
  }
  for (const line of (await tryRun(["ip", "-o", "link", "show"])).stdout.split("\n")) {
    const name = line.split(": ")[1]?.split("@")[0];
    if (name?.startsWith(`${PREFIX}-`)) await tryRun(["ip", "link", "del", name]);
  }
  for (const cidr of [POD_SUPERNET, PRIVATE_NET.cidr, SERVICE_CIDR])
    await tryRun(["ip", "route", "del", "unreachable", cidr]);
}
