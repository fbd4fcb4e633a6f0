// tcpdump's argv for a streamed capture, and for checking a filter before capturing.
//
// Choices made on purpose:
// - `-w - -U`: write pcap to stdout, flushed packet by packet, so the bytes stream home as
//   they are captured; stderr stays apart (no pty) and carries the ready line and statistics.
// - `-B 16384` (KiB): measured here, a 50 MB/s flow dropped 0.9% of its packets through
//   `ssh ... tcpdump -w -` with libpcap's default buffer and none with 16 MiB. The pods a
//   fan-out starts on one node share a budget instead (sharedBufferKiB): each ring is kernel
//   memory the node cannot swap, zeroed as tcpdump starts (~40 ms of CPU for 16 MiB on the
//   lab's VM), and many pods at once rarely each carry such a flow. The kernel's drop count is
//   reported either way.
// - no `--immediate-mode` by default: without it libpcap hands packets over in blocks (at most
//   about a second late), which costs far fewer wake-ups at high rates and so fewer drops. A
//   live view (Wireshark) wants packets at once and can ask for it.
// - `-n`: no name lookups. They would send DNS queries from inside the pod's namespace.
// - no `-Z root`: tcpdump drops root to its own user after opening the device. With `-w -`
//   stdout is already open so this is harmless; a capture written to files on the node (-w
//   FILE with -C/-G rotation) would need `-Z root` or a directory that user can write.
// - the filter goes last, as ONE argument, after `--`: tcpdump joins its operands into the
//   expression, and glibc's getopt would otherwise still read `-w FILE` found among them.

import { UsageError } from "../errors.js";
import { assertSafeFilter } from "./bpf-filter.js";
import { printable } from "./printable.js";

export const DEFAULT_INTERFACE = "eth0";
export const DEFAULT_BUFFER_KIB = 16_384;
/** tcpdump's own default and the largest snapshot length it accepts. */
export const MAX_SNAPLEN = 262_144;
const MAX_BUFFER_KIB = 1_048_576;
const MAX_COUNT = 2_147_483_647;
/** What the rings of one node's streams in a fan-out may take together, and the least each gets (libpcap's default). */
const NODE_BUFFER_BUDGET_KIB = 32_768;
const MIN_SHARED_BUFFER_KIB = 2_048;

/** -B for each of `streams` captures started together on one node: 16 MiB for one or two, down to 2 MiB. */
export const sharedBufferKiB = (streams: number): number =>
  Math.min(
    DEFAULT_BUFFER_KIB,
    Math.max(MIN_SHARED_BUFFER_KIB, Math.floor(NODE_BUFFER_BUDGET_KIB / Math.max(1, streams))),
  );

export interface TcpdumpOptions {
  /** The node's tcpdump, from the inventory; defaults to `tcpdump` on the PATH. */
  tcpdumpPath?: string;
  /**
   * Interface inside the pod's namespace: eth0 by default, `any` and `lo` work too. null: no -i,
   * for the live wrapper, which adds the one it finds at its vantage point (vantage.ts).
   */
  iface?: string | null;
  /** -s: bytes kept of each packet; 0 means tcpdump's default (262144). */
  snaplen?: number;
  /** -c: stop after this many packets. */
  count?: number;
  /** -B: kernel capture buffer in KiB. */
  bufferKiB?: number;
  /** --immediate-mode: deliver each packet at once (live views). */
  immediate?: boolean;
  /** A BPF expression, usually from composeFilter(). */
  filter?: string;
}

// Linux interface names: at most 15 bytes (IFNAMSIZ - 1), and these characters cover every
// name CNIs and the kernel give (eth0, net1, vlan.100, cali1a2b3c4d5e6, veth@if3, macvlan:0).
const INTERFACE_NAME = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,14}$/;
const TOOL_PATH = /^[A-Za-z0-9_./+][A-Za-z0-9_./+-]*$/;

export function assertInterfaceName(name: string): string {
  if (!INTERFACE_NAME.test(name)) {
    throw new UsageError(
      `invalid interface name ${printable(name)}`,
      "use the pod's interface as `ip link` shows it (eth0, net1, any, lo): letters, digits and . _ @ : -, at most 15 characters",
    );
  }
  return name;
}

function assertToolPath(path: string): string {
  if (!TOOL_PATH.test(path)) {
    throw new UsageError(
      `invalid tcpdump path ${printable(path)}`,
      "set tcpdumpPath in the inventory to a command name or an absolute path such as /usr/sbin/tcpdump",
    );
  }
  return path;
}

function wholeNumber(value: number, what: string, min: number, max: number): string {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(
      `the ${what} must be a whole number from ${min} to ${max}, got ${value}`,
      `pass a ${what} within that range`,
    );
  }
  return String(value);
}

/** The argv that streams a pcap of `options.iface` to stdout. */
export function buildTcpdumpArgv(options: TcpdumpOptions = {}): string[] {
  const argv = [
    assertToolPath(options.tcpdumpPath ?? "tcpdump"),
    ...(options.iface === null ? [] : ["-i", assertInterfaceName(options.iface ?? DEFAULT_INTERFACE)]),
    "-n",
    "-U",
    "-B",
    wholeNumber(options.bufferKiB ?? DEFAULT_BUFFER_KIB, "capture buffer in KiB (-B)", 1, MAX_BUFFER_KIB),
  ];
  if (options.snaplen !== undefined)
    argv.push("-s", wholeNumber(options.snaplen, "snapshot length (-s)", 0, MAX_SNAPLEN));
  if (options.count !== undefined)
    argv.push("-c", wholeNumber(options.count, "packet count (-c)", 1, MAX_COUNT));
  if (options.immediate === true) argv.push("--immediate-mode");
  argv.push("-w", "-");
  return withFilter(argv, options.filter);
}

/**
 * The argv that compiles `filter` without capturing: `tcpdump -d -y LINKTYPE -- FILTER`. It
 * opens no interface, so it needs neither root nor the pod's namespace, and it catches syntax
 * errors on the node's own libpcap before the capture starts. `any` captures in Linux cooked
 * mode; every other interface a pod has is Ethernet-framed (lo included).
 */
export function buildFilterCheckArgv(
  filter: string,
  iface = DEFAULT_INTERFACE,
  tcpdumpPath = "tcpdump",
): string[] {
  const linkType = assertInterfaceName(iface) === "any" ? "LINUX_SLL" : "EN10MB";
  return withFilter([assertToolPath(tcpdumpPath), "-d", "-y", linkType], filter);
}

function withFilter(argv: string[], filter: string | undefined): string[] {
  const expression = filter === undefined ? "" : assertSafeFilter(filter);
  return expression === "" ? argv : [...argv, "--", expression];
}
