// Where everything of the lab lives: names, addresses and paths. Every object the lab makes
// carries the `plab` prefix (or sits under one of these directories) so `down` can sweep by name.

import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PREFIX = "plab";

export const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const LAB_DIR = join(REPO_DIR, ".lab");
/** Short, fixed paths for sockets and pid files (unix socket paths are limited to 108 bytes). */
export const RUN_DIR = "/run/podcap-lab";
export const DATA_DIR = "/var/lib/podcap-lab";

export const paths = {
  keys: join(LAB_DIR, "keys"),
  userKey: join(LAB_DIR, "keys", "id_ed25519"),
  /**
   * Outside the repository: sshd's StrictModes refuses a key file under any group- or
   * world-writable directory (a clone in /tmp, say), and reads it as the logging-in user.
   */
  authorizedKeys: join(RUN_DIR, "ssh", "authorized_keys"),
  knownHosts: join(LAB_DIR, "known_hosts"),
  sshConfig: join(LAB_DIR, "ssh_config"),
  kubeconfig: join(LAB_DIR, "kubeconfig"),
  inventory: join(LAB_DIR, "inventory.yaml"),
  apiserverConfig: join(LAB_DIR, "apiserver.json"),
  certs: join(LAB_DIR, "certs"),
  logs: join(LAB_DIR, "logs"),
  nodes: join(LAB_DIR, "nodes"),
  dnsHosts: join(DATA_DIR, "dns", "hosts"),
  dockerData: join(DATA_DIR, "docker"),
  dockerExec: join(RUN_DIR, "docker"),
  containerdRoot: join(DATA_DIR, "containerd"),
  containerdState: join(RUN_DIR, "containerd"),
  /** Kept off the default path on purpose, like k3s and rke2 do: the inventory must name it. */
  containerdSocket: join(RUN_DIR, "containerd", "containerd.sock"),
  dockerSocket: "/var/run/docker.sock",
  sudoers: "/etc/sudoers.d/podcap-lab",
  /** podcap's audit log on this machine, and on the nodes (which share this machine's disk). */
  localAudit: join(LAB_DIR, "audit.jsonl"),
  nodeAudit: join(DATA_DIR, "node-audit", "audit.jsonl"),
} as const;

export type Runtime = "docker" | "containerd";

export interface LabNode {
  name: string;
  runtime: Runtime;
  /** Address on the node network, or on the private network behind the bastion. */
  ip: string;
  podCidrIndex: number;
  user: string;
  sudo: boolean;
  behindBastion: boolean;
}

export const NODE_NET = { bridge: `${PREFIX}-nodes`, gateway: "10.77.0.1", prefix: 24, cidr: "10.77.0.0/24" };
export const PRIVATE_NET = { cidr: "10.77.1.0/24", bastionIp: "10.77.1.1", prefix: 24 };
export const BASTION = { name: "bastion", ip: "10.77.0.5", user: "labjump", netns: `${PREFIX}-bastion` };
export const POD_SUPERNET = "10.244.0.0/16";
/** Service cluster IPs: addresses on paper only (no kube-proxy), kept unreachable on the host. */
export const SERVICE_CIDR = "10.96.0.0/24";
export const SERVICE_DNS_DOMAIN = "cluster.local";

export const OPS_USER = "labops";

export const NODES: readonly LabNode[] = [
  {
    name: "node-a",
    runtime: "docker",
    ip: "10.77.0.11",
    podCidrIndex: 1,
    user: "root",
    sudo: false,
    behindBastion: false,
  },
  {
    name: "node-b",
    runtime: "containerd",
    ip: "10.77.0.12",
    podCidrIndex: 2,
    user: OPS_USER,
    sudo: true,
    behindBastion: false,
  },
  {
    name: "node-c",
    runtime: "docker",
    ip: "10.77.1.13",
    podCidrIndex: 3,
    user: "root",
    sudo: false,
    behindBastion: true,
  },
  {
    name: "node-d",
    runtime: "containerd",
    ip: "10.77.0.14",
    podCidrIndex: 4,
    user: "root",
    sudo: false,
    behindBastion: false,
  },
];

export function nodeNamed(name: string): LabNode {
  const node = NODES.find((n) => n.name === name);
  if (!node) throw new Error(`no lab node ${name} (nodes: ${NODES.map((n) => n.name).join(", ")})`);
  return node;
}

export const nodeNetns = (node: LabNode) => `${PREFIX}-${node.name}`;
export const podGateway = (node: LabNode) => `10.244.${node.podCidrIndex}.1`;
export const podCidr = (node: LabNode) => `10.244.${node.podCidrIndex}.0/24`;
export const nodeDir = (node: { name: string }) => join(paths.nodes, node.name);

export const API = { host: "127.0.0.1", port: 6443 };

export const IMAGES = {
  busybox: "podcap-lab/busybox:1",
  noshell: "podcap-lab/noshell:1",
  dnsmasq: "podcap-lab/dnsmasq:1",
} as const;

export function labIsInitialised(): boolean {
  return existsSync(paths.kubeconfig);
}
