// The bundle's pure pieces: the command list, the framing script run by a real local sh (the
// same POSIX script a node runs, minus nsenter), the frame parser on hostile output, and the
// manifest built from frames.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readlinkSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { PodTarget } from "../../src/kube/pod-target.js";
import { bundleCommands, SYSCTL_FILES } from "../../src/netns/bundle-commands.js";
import { parseBundleFrames } from "../../src/netns/bundle-frames.js";
import { buildBundle, POD_JSON } from "../../src/netns/bundle-manifest.js";
import { BUNDLE_TMP_PREFIX, bundleScriptArgv } from "../../src/netns/bundle-script.js";

const frame = (index: number, status: string, code: number, out: string, err = "") =>
  Buffer.concat([
    Buffer.from(
      `podcap-frame ${index} ${status} ${code} ${Buffer.byteLength(out)} ${Buffer.byteLength(err)}\n`,
    ),
    Buffer.from(out),
    Buffer.from(err),
  ]);

describe("bundleCommands", () => {
  it("runs every command in the pod's and the node's namespace, conntrack filtered by the pod IP", () => {
    const commands = bundleCommands("10.244.1.2");
    for (const where of ["pod", "node"] as const) {
      const files = commands.filter((c) => c.where === where).map((c) => c.file);
      expect(files).toEqual(
        expect.arrayContaining([
          `${where}/ip-addr.txt`,
          `${where}/ip-route.txt`,
          `${where}/ip-rule.txt`,
          `${where}/ip-neigh.txt`,
          `${where}/iptables-nft-save.txt`,
          `${where}/iptables-legacy-save.txt`,
          `${where}/ip6tables-nft-save.txt`,
          `${where}/ip6tables-legacy-save.txt`,
          `${where}/ss-tanpi.txt`,
          `${where}/sysctl-net.txt`,
        ]),
      );
    }
    expect(commands.find((c) => c.file === "node/conntrack-src-pod.txt")?.argv).toEqual([
      "conntrack",
      "-L",
      "-s",
      "10.244.1.2",
    ]);
    expect(commands.find((c) => c.file === "pod/conntrack-dst-pod.txt")?.argv).toEqual([
      "conntrack",
      "-L",
      "-d",
      "10.244.1.2",
    ]);
    expect(new Set(commands.map((c) => c.file)).size).toBe(commands.length);
    expect(commands.find((c) => c.file === "pod/sysctl-net.txt")?.argv.slice(3)).toEqual(SYSCTL_FILES);
    expect(SYSCTL_FILES).toEqual(
      expect.arrayContaining([
        "/proc/sys/net/ipv4/ip_forward",
        "/proc/sys/net/core/somaxconn",
        "/proc/sys/net/ipv4/tcp_syncookies",
        "/proc/sys/net/ipv4/ip_local_port_range",
        "/proc/sys/net/netfilter/nf_conntrack_max",
        "/proc/sys/net/netfilter/nf_conntrack_count",
      ]),
    );
  });

  it("asks conntrack for IPv6 by family, and leaves conntrack out without a pod IP", () => {
    expect(bundleCommands("fd00::5").find((c) => c.file === "node/conntrack-src-pod.txt")?.argv).toEqual([
      "conntrack",
      "-L",
      "-f",
      "ipv6",
      "-s",
      "fd00::5",
    ]);
    expect(bundleCommands("").some((c) => c.argv[0] === "conntrack")).toBe(false);
    expect(bundleCommands("10.0.0.1; rm -rf /").some((c) => c.argv[0] === "conntrack")).toBe(false);
  });
});

describe("the bundle script, run by a local sh", () => {
  // The same POSIX script a node runs, against a process in a network namespace of its own
  // (`unshare -n`, root only): words stay words, a missing tool is a frame, the temp dir goes.
  const canUnshare = process.getuid?.() === 0 && spawnSync("unshare", ["-n", "true"]).status === 0;
  const hostile = "$(touch /tmp/podcap-pwned) `id` ' \" \\ ;|&";

  it.skipIf(!canUnshare)("frames each command's output, pod ones in the target's namespace", () => {
    const target = spawn("unshare", ["-n", "sleep", "30"], { stdio: "ignore" });
    try {
      // unshare execs sleep: the same PID, once it is in its new namespace
      const deadline = Date.now() + 5000;
      const ownNs = readlinkSync("/proc/self/ns/net");
      while (readlinkSync(`/proc/${target.pid}/ns/net`) === ownNs && Date.now() < deadline) {}
      const argv = bundleScriptArgv(target.pid as number, [
        { file: "pod/ip-link.txt", where: "pod", argv: ["ip", "-o", "link"] },
        { file: "node/echo.txt", where: "node", argv: ["printf", "%s", hostile] },
        { file: "node/missing.txt", where: "node", argv: ["podcap-no-such-tool", "-x"] },
        { file: "node/fails.txt", where: "node", argv: ["sh", "-c", "echo oops >&2; exit 3"] },
      ]);
      expect(argv[2]).not.toContain("pwned");
      const ran = spawnSync(argv[0] as string, argv.slice(1));
      expect(ran.status, ran.stderr.toString()).toBe(0);
      const parsed = parseBundleFrames(ran.stdout);
      expect(parsed.done).toBe(4);
      const [link, echo, missing, fails] = parsed.frames;
      expect(link?.stdout.toString()).toMatch(/^1: lo:/);
      expect(link?.stdout.toString()).not.toMatch(/^2:/m);
      expect(echo?.stdout.toString()).toBe(hostile);
      expect(existsSync("/tmp/podcap-pwned")).toBe(false);
      expect([missing?.status, missing?.exitCode]).toEqual(["missing", 127]);
      expect([fails?.status, fails?.exitCode, fails?.stderr.toString()]).toEqual(["ran", 3, "oops\n"]);
      expect(readdirSync("/tmp").filter((f) => f.startsWith(BUNDLE_TMP_PREFIX))).toEqual([]);
    } finally {
      target.kill();
    }
  });

  it("refuses a PID in the node's own network namespace, and bad arguments before anything runs", () => {
    // This process's namespace is the script's own: the node's, as far as the script can tell.
    const argv = bundleScriptArgv(process.pid, [{ file: "node/x.txt", where: "node", argv: ["true"] }]);
    const ran = spawnSync(argv[0] as string, argv.slice(1), { encoding: "utf8" });
    if (!ran.stderr.includes("nsenter-missing")) {
      expect(ran.status).toBe(71);
      expect(ran.stderr).toContain("podcap-bundle: target-gone");
      expect(ran.stdout).toBe("");
    }
    expect(() => bundleScriptArgv(0, [])).toThrow(/pid/);
    expect(() => bundleScriptArgv(12, [{ file: "a", where: "pod", argv: [] }])).toThrow(/empty/);
  });
});

describe("parseBundleFrames", () => {
  it("reads length-prefixed frames whatever bytes they carry, marker text included", () => {
    const nasty = "podcap-frame 1 ran 0 0 0\npodcap-done 9\n\0\xff";
    const output = Buffer.concat([
      frame(0, "ran", 0, nasty, "warn\n"),
      frame(1, "missing", 127, ""),
      frame(2, "timeout", 124, "partial"),
      Buffer.from("podcap-done 3\n"),
    ]);
    const parsed = parseBundleFrames(output);
    expect(parsed.problem).toBeUndefined();
    expect(parsed.done).toBe(3);
    expect(parsed.frames.map((f) => [f.status, f.exitCode])).toEqual([
      ["ran", 0],
      ["missing", 127],
      ["timeout", 124],
    ]);
    expect(parsed.frames[0]?.stdout.toString()).toBe(nasty);
    expect(parsed.frames[0]?.stderr.toString()).toBe("warn\n");
  });

  it("says where a cut or garbled stream stopped, keeping the frames before it", () => {
    const whole = Buffer.concat([frame(0, "ran", 0, "abc"), frame(1, "ran", 0, "defgh")]);
    const cut = parseBundleFrames(whole.subarray(0, whole.length - 2));
    expect(cut.frames).toHaveLength(1);
    expect(cut.done).toBeUndefined();
    expect(cut.problem).toMatch(/cut short in command 1/);
    expect(parseBundleFrames(Buffer.from("hello\n")).problem).toMatch(/unexpected line/);
    expect(parseBundleFrames(frame(1, "ran", 0, "x")).problem).toMatch(/came where 0 was due/);
    expect(parseBundleFrames(Buffer.alloc(0)).problem).toMatch(/cut short/);
  });
});

describe("buildBundle", () => {
  const pod: PodTarget = {
    namespace: "demo",
    name: "web-1",
    uid: "u-1",
    nodeName: "node-a",
    podIP: "10.244.1.2",
    phase: "Running",
    labels: {},
    container: { name: "web", id: "ab".repeat(32), scheme: "docker", ready: true, restartCount: 0 },
    containers: [],
  };
  const commands = [
    { file: "pod/ip-addr.txt", where: "pod" as const, argv: ["ip", "addr"] },
    {
      file: "node/conntrack-src-pod.txt",
      where: "node" as const,
      argv: ["conntrack", "-L", "-s", "10.244.1.2"],
    },
    { file: "node/ss-tanpi.txt", where: "node" as const, argv: ["ss", "-tanpi"] },
  ];
  const parsed = parseBundleFrames(
    Buffer.concat([frame(0, "ran", 0, "inet 10.244.1.2/24\n"), frame(1, "missing", 127, "")]),
  );
  const bundle = buildBundle({
    pod,
    podObject: {
      metadata: { name: "web-1", managedFields: [{ manager: "x" }] },
      status: { podIP: "10.244.1.2" },
    },
    located: { runtime: "docker", pid: 4242 },
    commands,
    frames: parsed.frames,
    problem: parsed.problem,
    startedAt: new Date("2025-01-02T03:04:05Z"),
    endedAt: new Date("2025-01-02T03:04:06.5Z"),
    podcapVersion: "9.9.9",
  });

  it("lists every file with what produced it, a missing tool as missing, and the pod", () => {
    const { manifest } = bundle;
    expect(manifest.pod).toEqual({
      namespace: "demo",
      name: "web-1",
      uid: "u-1",
      node: "node-a",
      container: "web",
      containerId: `docker://${"ab".repeat(32)}`,
      runtime: "docker",
      pid: 4242,
      podIP: "10.244.1.2",
    });
    expect(manifest.durationSeconds).toBe(1.5);
    expect(manifest.podcapVersion).toBe("9.9.9");
    expect(manifest.missingTools).toEqual(["conntrack"]);
    expect(manifest.files.map((f) => [f.path, f.where, f.status, f.exitCode, f.written])).toEqual([
      [POD_JSON, "api", "ran", 0, true],
      ["pod/ip-addr.txt", "pod", "ran", 0, true],
      ["node/conntrack-src-pod.txt", "node", "missing", 127, false],
      ["node/ss-tanpi.txt", "node", "not-run", null, false],
    ]);
    expect(manifest.files[1]?.bytes).toBe("inet 10.244.1.2/24\n".length);
    expect(manifest.problem).toMatch(/cut short/);
  });

  it("holds the bytes of each written file, and pod.json without managedFields", () => {
    expect([...bundle.contents.keys()]).toEqual([POD_JSON, "pod/ip-addr.txt"]);
    const podJson = JSON.parse(bundle.contents.get(POD_JSON)?.toString() ?? "");
    expect(podJson.metadata).toEqual({ name: "web-1" });
    expect(podJson.status.podIP).toBe("10.244.1.2");
  });
});
