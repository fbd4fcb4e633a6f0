// What a context bundle holds: the commands run in the pod's network namespace and in the node's,
// as argvs with the file each one's output goes to. Pure; the pod IP is the only value, and it
// travels as an argument like every other word.

import { isIP } from "node:net";

export type BundleWhere = "pod" | "node";

export interface BundleCommand {
  /** Relative path in the bundle, e.g. pod/ip-addr.txt. */
  file: string;
  where: BundleWhere;
  argv: string[];
}

/**
 * The /proc/sys/net values that explain most "the packets arrive but..." puzzles. Read from
 * within each namespace, since most are per network namespace (conntrack max is the node's).
 */
export const SYSCTL_FILES = [
  "/proc/sys/net/ipv4/ip_forward",
  "/proc/sys/net/ipv4/conf/all/forwarding",
  "/proc/sys/net/ipv6/conf/all/forwarding",
  "/proc/sys/net/ipv4/conf/all/rp_filter",
  "/proc/sys/net/ipv4/conf/default/rp_filter",
  "/proc/sys/net/ipv4/conf/eth0/rp_filter",
  "/proc/sys/net/ipv4/conf/all/route_localnet",
  "/proc/sys/net/core/somaxconn",
  "/proc/sys/net/ipv4/tcp_max_syn_backlog",
  "/proc/sys/net/ipv4/tcp_syncookies",
  "/proc/sys/net/ipv4/tcp_tw_reuse",
  "/proc/sys/net/ipv4/tcp_fin_timeout",
  "/proc/sys/net/ipv4/ip_local_port_range",
  "/proc/sys/net/ipv4/ip_nonlocal_bind",
  "/proc/sys/net/netfilter/nf_conntrack_max",
  "/proc/sys/net/netfilter/nf_conntrack_count",
  "/proc/sys/net/netfilter/nf_conntrack_tcp_timeout_established",
  "/proc/sys/net/bridge/bridge-nf-call-iptables",
  "/proc/sys/net/bridge/bridge-nf-call-ip6tables",
];

/** Both iptables back ends, and the distribution's default: a node may hold rules in either. */
const RULE_DUMPS = [
  "iptables-save",
  "iptables-nft-save",
  "iptables-legacy-save",
  "ip6tables-save",
  "ip6tables-nft-save",
  "ip6tables-legacy-save",
];

function netnsCommands(where: BundleWhere, podIP: string): BundleCommand[] {
  const at = (file: string, argv: string[]): BundleCommand => ({ file: `${where}/${file}`, where, argv });
  const family = isIP(podIP) === 6 ? ["-f", "ipv6"] : [];
  return [
    at("ip-addr.txt", ["ip", "addr"]),
    at("ip-link.txt", ["ip", "-d", "-s", "link"]),
    at("ip-route.txt", ["ip", "route", "show", "table", "all"]),
    at("ip6-route.txt", ["ip", "-6", "route", "show", "table", "all"]),
    at("ip-rule.txt", ["ip", "rule"]),
    at("ip-neigh.txt", ["ip", "neigh"]),
    ...RULE_DUMPS.map((tool) => at(`${tool}.txt`, [tool])),
    ...(isIP(podIP)
      ? [
          at("conntrack-src-pod.txt", ["conntrack", "-L", ...family, "-s", podIP]),
          at("conntrack-dst-pod.txt", ["conntrack", "-L", ...family, "-d", podIP]),
        ]
      : []),
    at("ss-tanpi.txt", ["ss", "-tanpi"]),
    at("ss-uanp.txt", ["ss", "-uanp"]),
    // grep -H prints path:value for each file that exists; absent ones are said on stderr.
    at("sysctl-net.txt", ["grep", "-H", ".", ...SYSCTL_FILES]),
  ];
}

/** Every command of a bundle, pod namespace first, then the node's. */
export function bundleCommands(podIP: string): BundleCommand[] {
  return [...netnsCommands("pod", podIP), ...netnsCommands("node", podIP)];
}
