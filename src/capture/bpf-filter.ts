// The capture filter: the user's BPF expression as is, plus sugar (--port, --proto) that
// builds the common cases. Each part is parenthesised before joining, so `a or b` from -f
// cannot swallow the sugar's `and`.
//
// The expression reaches tcpdump as ONE argv element after `--` (see tcpdump-args.ts). It is
// checked anyway, so it cannot smuggle options, control bytes or megabytes into a command.

import { FilterInvalid, UsageError } from "../errors.js";
import { printable } from "./printable.js";

export const FILTER_PROTOCOLS = ["tcp", "udp", "icmp"] as const;
export type FilterProtocol = (typeof FILTER_PROTOCOLS)[number];

export interface FilterOptions {
  /** -f: a BPF expression, passed through as is. */
  filter?: string;
  /** --port N: traffic from or to that port. */
  port?: number;
  /** --proto: one transport protocol. */
  protocol?: FilterProtocol;
}

/** Longer than any filter a person writes; short enough to stay a sane command line. */
export const MAX_FILTER_LENGTH = 4096;
// Tabs are fine in a BPF expression; other control characters only ever arrive by accident
// (a pasted newline) or on purpose.
function hasControlCharacter(text: string): boolean {
  return [...text].some((char) => {
    const code = char.charCodeAt(0);
    return (code < 0x20 && char !== "\t") || code === 0x7f;
  });
}

// Shell punctuation that pcap-filter's grammar has no use for: refused here, so a filter pasted
// from a shell line (`port 80; touch x`, `$(...)`) never even reaches the node's tcpdump -d.
const NOT_IN_FILTER_LANGUAGE = [";", "$", "`", "'", '"'];

// `icmp` alone is IPv4 only; pods are often dual-stack.
const PROTOCOL_EXPRESSION: Readonly<Record<FilterProtocol, string>> = {
  tcp: "tcp",
  udp: "udp",
  icmp: "icmp or icmp6",
};

/** Returns the trimmed expression when it is safe to hand to tcpdump; throws UsageError. */
export function assertSafeFilter(filter: string): string {
  const expression = filter.trim();
  if (expression.length > MAX_FILTER_LENGTH) {
    throw new UsageError(
      `the capture filter is ${expression.length} characters long; the limit is ${MAX_FILTER_LENGTH}`,
      "narrow it down, or capture more and filter afterwards in Wireshark",
    );
  }
  if (hasControlCharacter(expression)) {
    throw new UsageError(
      `the capture filter ${printable(expression)} contains a line break or control character`,
      "write the filter on one line",
    );
  }
  if (expression.startsWith("-")) {
    throw new UsageError(
      `the capture filter ${printable(expression)} starts with '-', which tcpdump would read as an option`,
      "pass podcap options as options, not inside -f; an expression that really starts with a minus can be wrapped in parentheses",
    );
  }
  const foreign = [...expression].find((char) => NOT_IN_FILTER_LANGUAGE.includes(char));
  if (foreign !== undefined) {
    throw new FilterInvalid(
      `invalid capture filter ${printable(expression)}: ${printable(foreign)} is not part of tcpdump's filter language`,
      "join expressions with and / or / not (see man pcap-filter); the filter never passes through a shell",
    );
  }
  return expression;
}

/** Parses --port: a whole number from 1 to 65535. */
export function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new UsageError(
      `invalid port ${printable(text)}`,
      "give a port number from 1 to 65535, e.g. --port 443",
    );
  }
  return port;
}

/** Parses --proto: tcp, udp or icmp (icmp covers ICMPv6 too). */
export function parseProtocol(text: string): FilterProtocol {
  const proto = FILTER_PROTOCOLS.find((p) => p === text.trim().toLowerCase());
  if (proto === undefined) {
    throw new UsageError(
      `unknown protocol ${printable(text)}`,
      `use one of ${FILTER_PROTOCOLS.join(", ")}, or write any BPF expression with -f`,
    );
  }
  return proto;
}

/** The combined BPF expression, or undefined for "capture everything". */
export function composeFilter(options: FilterOptions): string | undefined {
  if (options.port !== undefined && options.protocol === "icmp") {
    throw new UsageError(
      "--port cannot be combined with --proto icmp",
      "ICMP has no ports: drop one of the two",
    );
  }
  const parts: string[] = [];
  if (options.protocol !== undefined) parts.push(PROTOCOL_EXPRESSION[options.protocol]);
  if (options.port !== undefined) parts.push(`port ${parsePort(String(options.port))}`);
  const user = options.filter === undefined ? "" : assertSafeFilter(options.filter);
  if (user !== "") parts.push(user);
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0];
  return parts.map((part) => `(${part})`).join(" and ");
}
