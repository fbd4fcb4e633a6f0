import { describe, expect, it } from "vitest";
import {
  filterError,
  parseCaptureStats,
  parseReadyLine,
  tcpdumpFailure,
} from "../../src/capture/tcpdump-stderr.js";
import { AccessDenied, CaptureFailed, FilterInvalid, InterfaceNotFound } from "../../src/errors.js";

// tcpdump 4.99.3 / libpcap 1.10.3 on the development machine, verbatim.
const LO_COUNT_3 = `tcpdump: listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes
3 packets captured
8 packets received by filter
0 packets dropped by kernel
`;
const ANY_INTERRUPTED = `tcpdump: data link type LINUX_SLL2
tcpdump: listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes
8 packets captured
16 packets received by filter
0 packets dropped by kernel
`;
const SNAPLEN_96 = "tcpdump: listening on lo, link-type EN10MB (Ethernet), snapshot length 96 bytes\n";
// Older tcpdump, as printed in the e_net.sh article (seeds/001).
const OLD_READY = "tcpdump: listening on eth0, link-type EN10MB (Ethernet), capture size 262144 bytes";
const OLD_STATS = "63 packets captured\n63 packets received by filter\n0 packets dropped by kernel\n";

describe("parseReadyLine", () => {
  it("reads tcpdump 4.99's ready line", () => {
    expect(parseReadyLine(LO_COUNT_3)).toEqual({
      iface: "lo",
      linkType: "EN10MB",
      linkTypeDescription: "Ethernet",
      snapshotLength: 262144,
    });
    expect(parseReadyLine(SNAPLEN_96)?.snapshotLength).toBe(96);
  });

  it("finds it after the data-link line of `-i any`", () => {
    expect(parseReadyLine(ANY_INTERRUPTED)).toMatchObject({ iface: "any", linkType: "LINUX_SLL2" });
  });

  it("reads the older 'capture size' wording", () => {
    expect(parseReadyLine(OLD_READY)).toMatchObject({ iface: "eth0", snapshotLength: 262144 });
  });

  it("is not fooled by a partial line or other text", () => {
    expect(parseReadyLine("tcpdump: listening on eth0, link-type EN10MB (Eth")).toBeUndefined();
    expect(parseReadyLine("tcpdump: eth9: No such device exists")).toBeUndefined();
    expect(parseReadyLine("")).toBeUndefined();
  });
});

describe("parseCaptureStats", () => {
  it("reads the statistics of a real capture", () => {
    expect(parseCaptureStats(LO_COUNT_3)).toEqual({
      captured: 3,
      receivedByFilter: 8,
      droppedByKernel: 0,
      droppedByInterface: undefined,
    });
    expect(parseCaptureStats(ANY_INTERRUPTED)?.receivedByFilter).toBe(16);
    expect(parseCaptureStats(OLD_STATS)?.captured).toBe(63);
  });

  it("reads singulars and the interface drop line, in both layouts", () => {
    const plain =
      "1 packet captured\n1 packet received by filter\n12 packets dropped by kernel\n3 packets dropped by interface\n";
    expect(parseCaptureStats(plain)).toEqual({
      captured: 1,
      receivedByFilter: 1,
      droppedByKernel: 12,
      droppedByInterface: 3,
    });
    const verbose =
      "5 packets captured\n9 packets received by filter\n4 packets dropped by kernel, 1 packet dropped by interface\n";
    expect(parseCaptureStats(verbose)).toMatchObject({ droppedByKernel: 4, droppedByInterface: 1 });
  });

  it("returns undefined when tcpdump died before its summary", () => {
    expect(parseCaptureStats(SNAPLEN_96)).toBeUndefined();
    expect(parseCaptureStats("3 packets captured\n")).toBeUndefined();
  });
});

describe("filterError", () => {
  // Messages from `tcpdump -d -y EN10MB -- FILTER` on the development machine.
  it.each([
    [
      "tcp and (port",
      "tcpdump: can't parse filter expression: syntax error\n",
      /"tcp and \(port": syntax error/,
    ],
    ["port 99999", "tcpdump: illegal port number 99999 > 65535\n", /illegal port number 99999 > 65535/],
    ["port 80 and hst", "tcpdump: unknown port 'hst'\n", /unknown port 'hst'/],
  ])("turns tcpdump's complaint about %j into FilterInvalid", (filter, stderr, message) => {
    const error = filterError(stderr, filter);
    expect(error).toBeInstanceOf(FilterInvalid);
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(/pcap-filter/);
  });

  it("keeps a hostile filter and message on one escaped line", () => {
    const error = filterError("tcpdump: syntax error near \u001b[2J\nmore", "a\nb");
    expect(error.message).not.toContain("\n");
    expect(error.message).not.toContain("\u001b");
  });
});

describe("tcpdumpFailure", () => {
  it("names a missing interface", () => {
    const error = tcpdumpFailure("tcpdump: nosuch0: No such device exists\n(No such device exists)\n", {
      iface: "nosuch0",
    });
    expect(error).toBeInstanceOf(InterfaceNotFound);
    expect(error.message).toContain('"nosuch0"');
  });

  it("sees a missing privilege", () => {
    const stderr =
      "tcpdump: eth0: You don't have permission to capture on that device\n(socket: Operation not permitted)\n";
    expect(tcpdumpFailure(stderr, { iface: "eth0" })).toBeInstanceOf(AccessDenied);
  });

  it("blames the filter only when there is one", () => {
    const stderr = "tcpdump: can't parse filter expression: syntax error\n";
    expect(tcpdumpFailure(stderr, { iface: "eth0", filter: "port" })).toBeInstanceOf(FilterInvalid);
    expect(tcpdumpFailure(stderr, { iface: "eth0" })).toBeInstanceOf(CaptureFailed);
  });

  it("falls back to CaptureFailed with the first line", () => {
    const error = tcpdumpFailure("nsenter: cannot open /proc/123/ns/net: No such file or directory\n", {
      iface: "eth0",
    });
    expect(error).toBeInstanceOf(CaptureFailed);
    expect(error.message).toContain("nsenter: cannot open /proc/123/ns/net");
  });
});
