import { describe, expect, it } from "vitest";
import {
  assertSafeFilter,
  composeFilter,
  MAX_FILTER_LENGTH,
  parsePort,
  parseProtocol,
} from "../../src/capture/bpf-filter.js";
import { FilterInvalid, UsageError } from "../../src/errors.js";

describe("composeFilter", () => {
  it("captures everything when nothing is asked", () => {
    expect(composeFilter({})).toBeUndefined();
    expect(composeFilter({ filter: "   " })).toBeUndefined();
  });

  it("passes a lone expression through as is (trimmed)", () => {
    expect(composeFilter({ filter: "  tcp port 80 or udp  " })).toBe("tcp port 80 or udp");
    expect(composeFilter({ port: 53 })).toBe("port 53");
  });

  it("parenthesises every part, so a user's `or` cannot swallow the sugar", () => {
    expect(composeFilter({ protocol: "tcp", port: 443, filter: "host 10.0.0.1 or host 10.0.0.2" })).toBe(
      "(tcp) and (port 443) and (host 10.0.0.1 or host 10.0.0.2)",
    );
  });

  it("covers ICMPv6 with --proto icmp", () => {
    expect(composeFilter({ protocol: "icmp", filter: "host ::1" })).toBe("(icmp or icmp6) and (host ::1)");
  });

  it("refuses a port with icmp, which tcpdump compiles to 'rejects all packets'", () => {
    expect(() => composeFilter({ protocol: "icmp", port: 80 })).toThrow(
      /ICMP has no ports|cannot be combined/,
    );
  });

  it("re-checks a port that did not come through parsePort", () => {
    expect(() => composeFilter({ port: 70000 })).toThrow(UsageError);
    expect(() => composeFilter({ port: 1.5 })).toThrow(UsageError);
  });
});

describe("assertSafeFilter", () => {
  it.each([
    ["an option", "-w /etc/passwd"],
    ["an option after spaces", "   -Z root"],
    ["a newline", "port 80\nhost 1.2.3.4"],
    ["a NUL", "port 80\u0000"],
    ["an escape sequence", "port 80 \u001b[2J"],
    ["DEL", "port 80\u007f"],
  ])("refuses %s", (_, filter) => {
    expect(() => assertSafeFilter(filter)).toThrow(UsageError);
  });

  it("refuses an over-long filter but takes one at the limit", () => {
    expect(() => assertSafeFilter(`port 1 or ${"x".repeat(MAX_FILTER_LENGTH)}`)).toThrow(/characters long/);
    expect(assertSafeFilter("x".repeat(MAX_FILTER_LENGTH))).toHaveLength(MAX_FILTER_LENGTH);
  });

  it("keeps the punctuation BPF uses, which quoting keeps from the shell", () => {
    const filter = "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0 and len > 100 and not ether proto \\arp && !icmp";
    expect(assertSafeFilter(filter)).toBe(filter);
  });

  it.each(["port 80; reboot", "host $(reboot)", "host `id`", "host 'x'", 'host "x"'])(
    "refuses %j: shell punctuation that is no part of a filter (FilterInvalid, exit 8)",
    (filter) => {
      expect(() => assertSafeFilter(filter)).toThrow(FilterInvalid);
      expect(() => assertSafeFilter(filter)).toThrow(/is not part of tcpdump's filter language/);
    },
  );

  it("allows tabs", () => {
    expect(assertSafeFilter("tcp\tport 80")).toBe("tcp\tport 80");
  });

  it("quotes the offending filter in the message", () => {
    expect(() => assertSafeFilter("a\nb")).toThrow(/"a\\nb"/);
  });
});

describe("parsePort", () => {
  it.each([
    ["1", 1],
    ["65535", 65535],
    [" 8080 ", 8080],
    ["00053", 53],
  ])("takes %j", (text, port) => {
    expect(parsePort(text)).toBe(port);
  });

  it.each(["0", "65536", "-1", "80.5", "0x50", "", "80 443", "1e3", "http", "999999"])(
    "refuses %j",
    (text) => {
      expect(() => parsePort(text)).toThrow(/give a port number from 1 to 65535|invalid port/);
    },
  );
});

describe("parseProtocol", () => {
  it("takes tcp, udp and icmp in any case", () => {
    expect(parseProtocol("TCP")).toBe("tcp");
    expect(parseProtocol(" udp")).toBe("udp");
    expect(parseProtocol("icmp")).toBe("icmp");
  });

  it.each(["sctp", "tcp or 1", "", "-w"])("refuses %j", (text) => {
    expect(() => parseProtocol(text)).toThrow(UsageError);
  });
});
