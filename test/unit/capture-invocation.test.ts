// `podcap capture` flags -> the checked request: what each flag becomes, and that anything off is a
// UsageError (exit code 2) with a hint and the bad value shown escaped, before any connection.

import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { MAX_FILTER_LENGTH } from "../../src/capture/bpf-filter.js";
import { buildFilterCheckArgv } from "../../src/capture/tcpdump-args.js";
import { type CaptureFlags, captureInvocation } from "../../src/cli/capture-command.js";
import { ExitCode, UsageError } from "../../src/errors.js";

/** What commander hands over when the user gives no option: the two defaults. */
const DEFAULTS: CaptureFlags = { interface: "eth0", nodeLimit: "1h" };
const invoke = (flags: Partial<CaptureFlags>) => captureInvocation("web-1", { ...DEFAULTS, ...flags });

function refusal(flags: Partial<CaptureFlags>): UsageError {
  try {
    invoke(flags);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    const usage = error as UsageError;
    expect(usage.exitCode).toBe(ExitCode.usage);
    expect(usage.hint.length).toBeGreaterThan(3);
    expect([...usage.message].filter((char) => char < " " || char === "\x7f")).toEqual([]);
    expect(usage.message.length).toBeLessThan(200);
    return usage;
  }
  throw new Error(`expected a UsageError for ${JSON.stringify(flags)}`);
}

describe("captureInvocation", () => {
  it("turns no options into a whole-traffic capture of eth0, to the default file, with a 1 h node limit", () => {
    expect(captureInvocation("pod/web-1", DEFAULTS)).toEqual({
      request: {
        pod: "pod/web-1",
        namespace: undefined,
        context: undefined,
        kubeconfig: undefined,
        container: undefined,
        iface: "eth0",
        filter: "",
        snaplen: undefined,
        count: undefined,
        durationSeconds: undefined,
        maxBytes: undefined,
        nodeLimitSeconds: 3600,
        immediate: false,
        vantage: { vantage: "pod", iface: "eth0" },
      },
      output: undefined,
      inventory: undefined,
      json: false,
      insecureAcceptHostKey: false,
      skipAccessCheck: false,
    });
  });

  it("carries every option into the request", () => {
    const invocation = invoke({
      namespace: "demo",
      context: "lab",
      kubeconfig: "/tmp/kubeconfig",
      container: "app",
      interface: "any",
      count: "100",
      snaplen: "96",
      duration: "1m30s",
      maxSize: "10MB",
      nodeLimit: "2h",
      output: "out.pcap",
      inventory: "/tmp/inventory.yaml",
      json: true,
      insecureAcceptHostKey: true,
      immediate: true,
    });
    expect(invocation.request).toMatchObject({
      namespace: "demo",
      context: "lab",
      kubeconfig: "/tmp/kubeconfig",
      container: "app",
      iface: "any",
      count: 100,
      snaplen: 96,
      durationSeconds: 90,
      maxBytes: 10_000_000,
      nodeLimitSeconds: 7200,
      immediate: true,
    });
    expect(invocation).toMatchObject({
      output: { kind: "file", path: "out.pcap" },
      inventory: "/tmp/inventory.yaml",
      json: true,
      insecureAcceptHostKey: true,
    });
  });

  it.each([
    [{ filter: "  tcp port 80  " }, "tcp port 80"],
    [{ port: "53" }, "port 53"],
    [{ proto: "udp" }, "udp"],
    [{ proto: "ICMP" }, "icmp or icmp6"],
    [{ port: "443", proto: "tcp" }, "(tcp) and (port 443)"],
    [
      { port: "80", filter: "host 10.0.0.1 or host 10.0.0.2" },
      "(port 80) and (host 10.0.0.1 or host 10.0.0.2)",
    ],
    [{ proto: "icmp", filter: "host ::1" }, "(icmp or icmp6) and (host ::1)"],
    [
      { proto: "udp", port: "53", filter: "not host 10.96.0.10" },
      "(udp) and (port 53) and (not host 10.96.0.10)",
    ],
  ])("composes %j into %j, which the real tcpdump compiles", (flags, filter) => {
    expect(invoke(flags).request.filter).toBe(filter);
    const check = buildFilterCheckArgv(filter);
    const compiled = spawnSync(check[0] as string, check.slice(1), { encoding: "utf8" });
    expect(compiled.status, compiled.stderr).toBe(0);
  });

  it.each([
    [{ port: "80", proto: "icmp" }, /--port cannot be combined with --proto icmp/],
    [{ port: "0" }, /invalid port "0"/],
    [{ port: "65536" }, /invalid port/],
    [{ port: "http" }, /invalid port "http"/],
    [{ port: "80;touch /tmp/pwned" }, /invalid port/],
    [{ port: "-1" }, /invalid port/],
    [{ proto: "sctp" }, /unknown protocol "sctp"/],
    [{ proto: "tcp or 1=1" }, /unknown protocol/],
    [{ filter: "-w /tmp/pwned" }, /starts with '-'/],
    [{ filter: "port 80\nhost 10.0.0.1" }, /line break or control character/],
    [{ filter: "port 80\0" }, /control character/],
    [{ filter: "port 80 \u001b[2J" }, /control character/],
    [{ filter: `host ${"1".repeat(MAX_FILTER_LENGTH)}` }, /the limit is 4096/],
  ])("refuses the filter options %j", (flags, message) => {
    expect(refusal(flags).message).toMatch(message);
  });

  it.each([
    [{}, undefined, false],
    [{ output: "-" }, { kind: "stdout" }, false],
    [{ output: "capture.pcap" }, { kind: "file", path: "capture.pcap" }, false],
    [{ output: "./-" }, { kind: "file", path: "./-" }, false],
    [{ wireshark: true }, { kind: "wireshark" }, true],
    [{ wireshark: true, immediate: false }, { kind: "wireshark" }, false],
  ])("sends %j to %j (immediate mode %s)", (flags, output, immediate) => {
    const invocation = invoke(flags);
    expect(invocation.output).toEqual(output);
    expect(invocation.request.immediate).toBe(immediate);
  });

  it.each([{ output: "-" }, { output: "capture.pcap" }, { output: "" }])(
    "refuses -o %j with --wireshark: two answers to where the capture goes",
    (flags) => {
      const error = refusal({ ...flags, wireshark: true });
      expect(error.message).toMatch(/-o and --wireshark/);
      expect(error.hint).toBe("pick one");
    },
  );

  it.each([
    ["count", "--count"],
    ["snaplen", "-s"],
  ] as const)("refuses a --%s that is not a whole number", (key, flag) => {
    for (const text of [
      "",
      "ten",
      "-1",
      "1.5",
      "1e3",
      "0x10",
      " 10",
      "10 ",
      "12345678901",
      "１０",
      "10;id",
    ]) {
      const error = refusal({ [key]: text });
      expect(error.message).toMatch(new RegExp(`^${flag} takes a whole number`));
      expect(error.hint).toBe(`for example ${flag} 100`);
    }
  });

  it("shows a hostile number escaped and cut short", () => {
    const error = refusal({ count: `1\n\u001b]0;pwned\u0007${"9".repeat(1000)}` });
    expect(error.message).toContain('got "1\\n\\u001b]0;pwned\\u0007');
  });

  it.each([
    ["duration", "-d", ["0", "1.5h", "30x", "-5s", "1h;id", "", "31d"]],
    ["nodeLimit", "--node-limit", ["0", "forever", "1m 30s", "1000000000000"]],
  ] as const)("refuses a bad %s and names the flag", (key, flag, texts) => {
    for (const text of texts) {
      const error = refusal({ [key]: text });
      expect(error.message).toContain(`for ${flag}`);
      expect(error.hint).toMatch(/30s|at least 1s/);
    }
  });

  it.each(["0", "-1M", "10X", "MB", "1e6", "10MB$(id)", "9999999999999999999"])(
    "refuses --max-size %j and names the flag",
    (text) => {
      const error = refusal({ maxSize: text });
      expect(error.message).toContain("for --max-size");
      expect(error.hint).toMatch(/10MB|byte/);
    },
  );
});
