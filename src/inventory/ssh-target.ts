// What the reach stage needs to open an SSH session to one node, after merging the inventory,
// ~/.ssh/config and the node's addresses.

export type RuntimeName = "docker" | "crictl" | "ctr" | "cgroup";

export interface HopTarget {
  host: string;
  port: number;
  user: string;
  identityFiles: string[];
  /** Path of the agent socket, or undefined when the agent is not to be used. */
  agent?: string;
  /** Name under which the host key is looked up in known_hosts (defaults to host / [host]:port). */
  hostKeyAlias?: string;
  /** known_hosts files to check this hop's key against; the first is where `podcap trust` writes. */
  knownHostsFiles: string[];
}

export interface SshTarget extends HopTarget {
  nodeName: string;
  /** Jump hosts, outermost first (ProxyJump a,b means a then b). */
  jump: HopTarget[];
  /** Prefix privileged commands with `sudo -n --`. */
  sudo: boolean;
  /** Runtimes to try, in order; empty means follow the container ID scheme. */
  runtimes: RuntimeName[];
  sockets: { docker?: string; containerd?: string; crio?: string };
  tcpdumpPath: string;
}
