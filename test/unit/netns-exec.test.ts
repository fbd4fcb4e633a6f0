// exec's and shell's pure pieces, and the runner script itself run by a local sh against a
// process in a network namespace of its own (root only): the PID on stdin, the exit code passed
// through, the node's own namespace refused, and the stdin switch that stops the command.

import { spawn, spawnSync } from "node:child_process";
import { readlinkSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildNetnsAuditRecord } from "../../src/audit/netns-record.js";
import { captureInvocation } from "../../src/cli/capture-command.js";
import { assertBundleFits } from "../../src/cli/capture-options.js";
import { ExitCode } from "../../src/errors.js";
import type { PodTarget } from "../../src/kube/pod-target.js";
import { assertBundleBeside, bundleDirBeside } from "../../src/netns/capture-bundle.js";
import { assertCommand, exitStatus } from "../../src/netns/exec-in-pod.js";
import { pidLine, RunnerExit, runnerArgv, runnerFailure } from "../../src/netns/netns-runner.js";
import { assertTerminal, shellBanner } from "../../src/netns/pod-shell.js";
import { RunnerStderr } from "../../src/netns/runner-stderr.js";

describe("argv validation", () => {
  it("refuses a missing command with a usage error naming --", () => {
    expect(() => assertCommand([])).toThrow(/no command/);
    expect(() => assertCommand([""])).toThrow(/no command/);
    try {
      assertCommand([]);
    } catch (error) {
      expect((error as { exitCode: number; hint: string }).exitCode).toBe(ExitCode.usage);
      expect((error as { hint: string }).hint).toContain("-- ip addr");
    }
    expect(assertCommand(["ip", "addr"])).toEqual(["ip", "addr"]);
  });

  it("keeps the command's words as arguments after the script", () => {
    const argv = runnerArgv({ command: ["sh", "-c", "exit 3; $(id)"], limitSeconds: 59.2 });
    expect(argv.slice(3)).toEqual(["podcap-netns", "-", "60s", "switch", "sh", "-c", "exit 3; $(id)"]);
    expect(argv[2]).not.toContain("$(id)");
    expect(runnerArgv({ pid: 7, command: ["ss"], stdin: true }).slice(4, 7)).toEqual(["7", "-", "stdin"]);
    expect(() => runnerArgv({ command: [] })).toThrow();
  });

  it("wants a terminal on both ends for a shell", () => {
    expect(() => assertTerminal({ stdin: { isTTY: false }, stdout: { isTTY: true } } as never)).toThrow(
      /needs a terminal/,
    );
    expect(() => assertTerminal({ stdin: { isTTY: true }, stdout: { isTTY: true } } as never)).not.toThrow();
  });
});

describe("exit codes", () => {
  it("passes the command's code through and turns a signal into 128+N like a shell", () => {
    expect(exitStatus(3, null)).toBe(3);
    expect(exitStatus(0, undefined)).toBe(0);
    expect(exitStatus(null, "TERM")).toBe(143);
    expect(exitStatus(null, "INT")).toBe(130);
    expect(exitStatus(null, "KILL")).toBe(137);
  });

  it("maps the runner's own stops to podcap's errors only with the runner's line", () => {
    expect(runnerFailure(RunnerExit.targetGone, undefined, "node-a")).toBeUndefined();
    expect(runnerFailure(RunnerExit.targetGone, "podcap-netns: target-gone 12", "node-a")?.exitCode).toBe(
      ExitCode.notFound,
    );
    expect(
      runnerFailure(RunnerExit.nsenterMissing, "podcap-netns: nsenter-missing", "node-a")?.exitCode,
    ).toBe(ExitCode.runtime);
    expect(runnerFailure(5, "podcap-netns: something", "node-a")).toBeUndefined();
  });
});

describe("RunnerStderr", () => {
  const collect = () => {
    const seen: string[] = [];
    return { seen, stderr: new RunnerStderr((chunk) => seen.push(chunk.toString())) };
  };

  it("passes the command's stderr through unchanged, even when split mid-tag", () => {
    const { seen, stderr } = collect();
    stderr.write(Buffer.from("podc"));
    stderr.write(Buffer.from("ast: no such thing\n"));
    stderr.write(Buffer.from("more\n"));
    stderr.end();
    expect(seen.join("")).toBe("podcast: no such thing\nmore\n");
    expect(stderr.runnerLine).toBeUndefined();
  });

  it("keeps the runner's first line for itself", () => {
    const { seen, stderr } = collect();
    stderr.write(Buffer.from("podcap-netns: tar"));
    stderr.write(Buffer.from("get-gone 42\n"));
    stderr.end();
    expect(seen).toEqual([]);
    expect(stderr.runnerLine).toBe("podcap-netns: target-gone 42");
  });

  it("gives back a short held prefix at the end", () => {
    const { seen, stderr } = collect();
    stderr.write(Buffer.from("pod"));
    stderr.end();
    expect(seen.join("")).toBe("pod");
  });
});

describe("shell banner, bundle paths, audit record", () => {
  const pod = {
    namespace: "demo",
    name: "web-1",
    nodeName: "node-a",
    podIP: "10.244.1.2",
    container: { name: "web", id: "ab", scheme: "docker", ready: true, restartCount: 0 },
  } as PodTarget;

  it("says where the shell is: node, pod, container, PID, and whose filesystem", () => {
    const banner = shellBanner(pod, { runtime: "docker", pid: 4242 });
    for (const part of ["node-a", "demo/web-1", "container web", "pid 4242", "10.244.1.2"])
      expect(banner).toContain(part);
    expect(banner).toMatch(/filesystem.*node's/);
    expect(banner).toMatch(/network.*pod's/);
  });

  it("puts the bundle next to the pcap, and refuses captures without a file", () => {
    expect(bundleDirBeside("/tmp/x/web.pcap")).toBe("/tmp/x/web.bundle");
    expect(bundleDirBeside("web")).toBe("web.bundle");
    expect(() => assertBundleBeside({ kind: "stdout" })).toThrow(/next to the pcap/);
    expect(assertBundleBeside(undefined)).toBeUndefined();
  });

  it("takes --bundle for one pod with a pcap file only, checked before anything runs", () => {
    const flags = { interface: "eth0", nodeLimit: "1h", bundle: true };
    expect(captureInvocation("web-1", { ...flags, output: "/tmp/web.pcap" }).bundle).toBe(true);
    expect(() => captureInvocation("web-1", { ...flags, output: "-" })).toThrow(/next to the pcap/);
    expect(() => assertBundleFits(flags, false)).toThrow(/one pod/);
    expect(() => assertBundleFits({ ...flags, detach: true }, true)).toThrow(/--detach/);
    expect(() => assertBundleFits(flags, true)).not.toThrow();
  });

  it("records the action, the command and its exit code, and only named fields", () => {
    const record = buildNetnsAuditRecord({
      action: "exec",
      who: { kubeUser: "u", kubeContext: "c", cluster: "https://k", localUser: "me", localHost: "h" },
      target: { namespace: "demo", pod: "web-1", container: "web", node: "node-a", extra: "no" } as never,
      command: ["ip", "addr"],
      startedAt: new Date("2025-01-01T00:00:00Z"),
      endedAt: new Date("2025-01-01T00:00:02Z"),
      exitCode: 3,
      podcapVersion: "1.2.3",
    });
    expect(record).toEqual({
      kind: "podcap.netns",
      podcapVersion: "1.2.3",
      action: "exec",
      who: { kubeUser: "u", kubeContext: "c", cluster: "https://k", localUser: "me", localHost: "h" },
      what: {
        target: { namespace: "demo", pod: "web-1", container: "web", node: "node-a" },
        command: ["ip", "addr"],
      },
      when: { start: "2025-01-01T00:00:00.000Z", end: "2025-01-01T00:00:02.000Z", durationSeconds: 2 },
      result: { status: "ran", exitCode: 3 },
    });
  });
});

const canUnshare = process.getuid?.() === 0 && spawnSync("unshare", ["-n", "true"]).status === 0;

describe.skipIf(!canUnshare)("the runner script, run by a local sh", () => {
  let target: ReturnType<typeof spawn>;
  beforeAll(() => {
    target = spawn("unshare", ["-n", "sleep", "120"], { stdio: "ignore" });
    const own = readlinkSync("/proc/self/ns/net");
    const deadline = Date.now() + 5000;
    while (readlinkSync(`/proc/${target.pid}/ns/net`) === own && Date.now() < deadline) {}
  });
  afterAll(() => target.kill());

  /** Like podcap: the PID line, then stdin held open (closing it means stop) until the exit. */
  const runner = (command: string[], pid: number) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const argv = runnerArgv({ command, limitSeconds: 30 });
      const child = spawn(argv[0] as string, argv.slice(1), { stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => {
        stdout += d;
      });
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      child.stdin.write(pidLine(pid));
      child.on("exit", () => child.stdin.end());
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });

  it("reads the PID from stdin, runs in that namespace and passes the exit code through", async () => {
    const ran = await runner(["sh", "-c", "sleep 0.5; ip -o link; exit 3"], target.pid as number);
    expect(ran.status).toBe(3);
    expect(ran.stdout).toMatch(/^1: lo:/);
    expect(ran.stdout).not.toMatch(/^2:/m);
  });

  it("gives 127 for a command the node does not have", async () => {
    expect((await runner(["podcap-no-such-tool"], target.pid as number)).status).toBe(127);
  });

  it("refuses a PID in its own network namespace (a reused PID must not reach the node's)", async () => {
    const ran = await runner(["true"], process.pid);
    expect(ran.status).toBe(RunnerExit.targetGone);
    expect(ran.stderr).toMatch(/^podcap-netns: target-gone/);
  });

  it("stops the command when its stdin closes, and leaves no process", async () => {
    const argv = runnerArgv({ command: ["sleep", "97"], limitSeconds: 60 });
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: ["pipe", "ignore", "ignore"] });
    child.stdin.write(pidLine(target.pid as number));
    const sleeping = () => spawnSync("pgrep", ["-f", "^sleep 97$"]).stdout.toString().trim();
    const deadline = Date.now() + 5000;
    while (sleeping() === "" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(sleeping()).not.toBe("");
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.stdin.end();
    expect(await exited).toBe(143);
    expect(sleeping()).toBe("");
  });
});
