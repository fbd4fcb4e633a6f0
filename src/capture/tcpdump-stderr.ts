// What tcpdump says on stderr, read back: the "listening on" line that means the capture is
// armed, the statistics it prints when it stops (drops included, which the user must see), and
// its complaints turned into typed errors. Formats checked against tcpdump 4.99 and the older
// "capture size" wording.

import {
  AccessDenied,
  CaptureFailed,
  FilterInvalid,
  InterfaceNotFound,
  type PodcapError,
} from "../errors.js";
import { printable, printableText } from "./printable.js";

export interface ReadyLine {
  iface: string;
  /** DLT name, e.g. EN10MB, LINUX_SLL2. */
  linkType: string;
  /** Its description, e.g. "Ethernet", when tcpdump printed one. */
  linkTypeDescription: string | undefined;
  snapshotLength: number;
}

export interface CaptureStats {
  captured: number;
  receivedByFilter: number;
  droppedByKernel: number;
  /** Only printed by tcpdump when the interface itself dropped packets. */
  droppedByInterface: number | undefined;
}

const READY =
  /^tcpdump: listening on (\S+), link-type (\S+)(?: \(([^)]*)\))?, (?:snapshot length|capture size) (\d+) bytes$/m;

/** The ready line's details, or undefined when `text` holds no ready line (yet). */
export function parseReadyLine(text: string): ReadyLine | undefined {
  const match = READY.exec(text);
  if (match?.[1] === undefined || match[2] === undefined || match[4] === undefined) return undefined;
  return {
    iface: match[1],
    linkType: match[2],
    linkTypeDescription: match[3],
    snapshotLength: Number(match[4]),
  };
}

const counter = (what: string) => new RegExp(`^(\\d+) packets? ${what}$`, "m");
const CAPTURED = counter("captured");
const RECEIVED = counter("received by filter");
// With -v tcpdump continues the kernel line with ", N packets dropped by interface".
const DROPPED_KERNEL = /^(\d+) packets? dropped by kernel(?:,|$)/m;
const DROPPED_INTERFACE = /(?:^|, )(\d+) packets? dropped by interface$/m;

/** The final statistics, or undefined when tcpdump did not get to print them. */
export function parseCaptureStats(stderr: string): CaptureStats | undefined {
  const captured = CAPTURED.exec(stderr)?.[1];
  const received = RECEIVED.exec(stderr)?.[1];
  const kernel = DROPPED_KERNEL.exec(stderr)?.[1];
  if (captured === undefined || received === undefined || kernel === undefined) return undefined;
  const byInterface = DROPPED_INTERFACE.exec(stderr)?.[1];
  return {
    captured: Number(captured),
    receivedByFilter: Number(received),
    droppedByKernel: Number(kernel),
    droppedByInterface: byInterface === undefined ? undefined : Number(byInterface),
  };
}

function tcpdumpComplaints(stderr: string): string[] {
  return stderr
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("tcpdump: "))
    .map((line) => line.slice("tcpdump: ".length));
}

/** tcpdump's complaint about a filter (from `tcpdump -d` or a capture) as a FilterInvalid. */
export function filterError(stderr: string, filter: string): FilterInvalid {
  const complaint = tcpdumpComplaints(stderr)[0] ?? stderr.trim().split("\n")[0] ?? "rejected";
  const reason = complaint.replace(/^can't parse filter expression: /, "");
  return new FilterInvalid(
    `invalid capture filter ${printable(filter)}: ${printableText(reason, 120)}`,
    "check the BPF syntax (man pcap-filter), e.g. 'tcp port 80 and host 10.0.0.5'",
  );
}

/** A failed or refused tcpdump start, as the typed error that explains it. */
export function tcpdumpFailure(stderr: string, context: { iface: string; filter?: string }): PodcapError {
  const text = tcpdumpComplaints(stderr).join("\n");
  if (/No such device exists|SIOCGIFINDEX|no such device/i.test(text)) {
    return new InterfaceNotFound(
      `the pod has no interface ${printable(context.iface)}`,
      "list the pod's interfaces with `kubectl exec POD -- ip link` (or `cat /proc/net/dev`) and pass one with -i, or -i any",
    );
  }
  if (/You don't have permission|Operation not permitted|permission denied/i.test(text)) {
    return new AccessDenied(
      "tcpdump was not allowed to capture on the node",
      "capturing needs root: enable `sudo` for this node in the inventory, or connect as root",
    );
  }
  if (
    context.filter !== undefined &&
    /filter expression|syntax error|illegal|unknown (?:host|port|proto)|rejects all packets/i.test(text)
  ) {
    return filterError(stderr, context.filter);
  }
  const first = text.split("\n")[0] || stderr.trim().split("\n")[0] || "no message";
  return new CaptureFailed(
    `tcpdump failed on the node: ${printableText(first)}`,
    "run with --debug to see tcpdump's whole output",
  );
}
