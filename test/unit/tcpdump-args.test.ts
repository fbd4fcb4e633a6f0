import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  assertInterfaceName,
  buildFilterCheckArgv,
  buildTcpdumpArgv,
  DEFAULT_BUFFER_KIB,
  sharedBufferKiB,
} from "../../src/capture/tcpdump-args.js";
import { UsageError } from "../../src/errors.js";
import { quote } from "../../src/ssh/quote.js";

/** What a remote POSIX shell makes of the quoted command line: the argv it runs. */
function argvAfterShell(argv: string[]): string[] {
  const run = spawnSync("sh", ["-c", `printf '%s\\0' ${quote(argv)}`], { encoding: "utf8" });
  return run.stdout.split("\0").slice(0, -1);
}

describe("buildTcpdumpArgv", () => {
  it("streams eth0 with a 16 MiB buffer, no name lookups, packet-buffered pcap on stdout", () => {
    expect(buildTcpdumpArgv()).toEqual(["tcpdump", "-i", "eth0", "-n", "-U", "-B", "16384", "-w", "-"]);
    expect(DEFAULT_BUFFER_KIB).toBe(16384);
  });

  it("adds snaplen, count, immediate mode and the filter, the filter last after --", () => {
    expect(
      buildTcpdumpArgv({
        tcpdumpPath: "/usr/sbin/tcpdump",
        iface: "any",
        snaplen: 96,
        count: 100,
        bufferKiB: 4096,
        immediate: true,
        filter: "tcp port 80",
      }),
    ).toEqual([
      "/usr/sbin/tcpdump",
      "-i",
      "any",
      "-n",
      "-U",
      "-B",
      "4096",
      "-s",
      "96",
      "-c",
      "100",
      "--immediate-mode",
      "-w",
      "-",
      "--",
      "tcp port 80",
    ]);
  });

  it("keeps a hostile filter one argument through the remote shell", () => {
    const filter = "port 80 -w /etc/passwd | rm -rf / & (id) > x < y && \\ip * ~ # ! {} []";
    const argv = buildTcpdumpArgv({ filter });
    expect(argv.slice(-2)).toEqual(["--", filter]);
    expect(argvAfterShell(argv)).toEqual(argv);
  });

  it("refuses a filter that starts like an option, even though -- would stop it", () => {
    expect(() => buildTcpdumpArgv({ filter: "-w/etc/passwd" })).toThrow(UsageError);
  });

  it("accepts snaplen 0 (tcpdump's default) and refuses numbers out of range", () => {
    expect(buildTcpdumpArgv({ snaplen: 0 })).toContain("-s");
    for (const options of [
      { snaplen: -1 },
      { snaplen: 262_145 },
      { count: 0 },
      { count: 2.5 },
      { count: Number.NaN },
      { bufferKiB: 0 },
      { bufferKiB: 2_000_000 },
    ]) {
      expect(() => buildTcpdumpArgv(options)).toThrow(UsageError);
    }
  });

  it.each(["-tcpdump", "tcp dump", "/usr/sbin/tcpdump;id", "$(id)", ""])(
    "refuses the tcpdump path %j",
    (path) => {
      expect(() => buildTcpdumpArgv({ tcpdumpPath: path })).toThrow(/invalid tcpdump path/);
    },
  );
});

describe("assertInterfaceName", () => {
  it.each([
    "eth0",
    "any",
    "lo",
    "net1",
    "vlan.100",
    "cali1a2b3c4d5e6",
    "veth@if3",
    "macvlan:0",
    "a".repeat(15),
  ])("takes %j", (name) => {
    expect(assertInterfaceName(name)).toBe(name);
  });

  it.each(["", "-i", "eth0;id", "eth 0", "eth0\n", "a".repeat(16), "../eth0", ".", "eth0$(id)", "é0"])(
    "refuses %j",
    (name) => {
      expect(() => assertInterfaceName(name)).toThrow(UsageError);
    },
  );
});

describe("buildFilterCheckArgv", () => {
  it("compiles without opening an interface: Ethernet framing, or Linux cooked for any", () => {
    expect(buildFilterCheckArgv("port 53")).toEqual(["tcpdump", "-d", "-y", "EN10MB", "--", "port 53"]);
    expect(buildFilterCheckArgv("port 53", "any", "/sbin/tcpdump")).toEqual([
      "/sbin/tcpdump",
      "-d",
      "-y",
      "LINUX_SLL",
      "--",
      "port 53",
    ]);
  });

  it("guards the filter and interface like the capture does", () => {
    expect(() => buildFilterCheckArgv("-r /etc/shadow")).toThrow(UsageError);
    expect(() => buildFilterCheckArgv("port 1", "eth0 -w x")).toThrow(UsageError);
  });
});

describe("sharedBufferKiB: the pods of one node in a fan-out share 32 MiB of rings", () => {
  it.each([
    [1, 16_384],
    [2, 16_384],
    [3, 10_922],
    [4, 8_192],
    [8, 4_096],
    [16, 2_048],
    [100, 2_048],
    [0, 16_384],
  ])("%i streams: -B %i each", (streams, kib) => {
    expect(sharedBufferKiB(streams)).toBe(kib);
  });

  it("is what -B says", () => {
    const argv = buildTcpdumpArgv({ iface: "eth0", bufferKiB: sharedBufferKiB(8) });
    expect(argv[argv.indexOf("-B") + 1]).toBe("4096");
  });
});
