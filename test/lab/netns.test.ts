// `podcap exec`, `shell` and `bundle` on the lab, as a user checks them: the pod's own address is
// what `ip addr` shows in its namespace (on a docker node as root and on a containerd node through
// sudo), exit codes pass through, Ctrl-C leaves no process, the bundle's files hold the pod's IP,
// `capture --bundle` writes both, the shell works on a real pseudo-terminal (tmux), and bad input
// fails before any SSH login. This file assumes the lab is up (it never runs `lab up` itself).

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  kubectl,
  labPaths,
  labPods,
  podcap,
  podNamed,
  REPO_DIR,
  run,
  settledLeftovers,
  sshLogins,
  tsharkLines,
} from "./lab-env.js";

const dir = mkdtempSync(join(tmpdir(), "podcap-netns-"));
const SOCKET = `podcap-netns-${process.pid}`;
const SESSION = "netns";
const tmux = (...args: string[]) => run("tmux", ["-L", SOCKET, "-f", "/dev/null", ...args]);

/** Temp dirs of the bundle script: all lab nodes share this machine's /tmp. */
const bundleTempDirs = () => readdirSync("/tmp").filter((f) => f.startsWith("podcap-bundle."));
const processesOf = (pattern: RegExp) =>
  run("ps", ["-eo", "args="])
    .stdout.split("\n")
    .filter((line) => pattern.test(line));

const webOn = (node: string) => {
  const pod = labPods().find((p) => p.labels.app === "web" && p.node === node);
  if (!pod) throw new Error(`no web pod on ${node}`);
  return pod;
};

beforeAll(() => {
  const pods = kubectl("get", "pods", "-n", "demo");
  if (pods.code !== 0) throw new Error(`the lab is not up (run scripts/lab up): ${pods.stderr}`);
});

afterAll(() => {
  tmux("kill-server");
});

describe("podcap exec", () => {
  it.each(["node-a", "node-b"])("shows the pod's own address in its namespace on %s", (node) => {
    const pod = webOn(node);
    const out = podcap(["exec", pod.name, "-n", "demo", "--", "ip", "-4", "-o", "addr", "show", "eth0"]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(`inet ${pod.ip}/`);
    // The node's own addresses are not in the pod's namespace.
    expect(out.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("passes the command's exit code, stdout and stderr through apart", () => {
    const pod = webOn("node-b");
    const out = podcap(["exec", pod.name, "--", "sh", "-c", "echo to-out; echo to-err >&2; exit 3"]);
    expect(out.code).toBe(3);
    expect(out.stdout).toBe("to-out\n");
    expect(out.stderr).toBe("to-err\n");
  });

  it("exits 127 for a command the node does not have, like a shell", () => {
    const out = podcap(["exec", webOn("node-a").name, "--", "podcap-no-such-tool", "-x"]);
    expect(out.code).toBe(127);
    expect(out.stderr).toContain("podcap-no-such-tool");
  });

  it("passes stdin with -i", () => {
    const out = run(
      process.execPath,
      [`${REPO_DIR}/bin/podcap.js`, "exec", "-i", webOn("node-b").name, "--", "wc", "-c"],
      {
        input: "twelve bytes",
        env: { ...process.env, KUBECONFIG: labPaths.kubeconfig, PODCAP_INVENTORY: labPaths.inventory },
      },
    );
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.trim()).toBe("12");
  });

  it.each(["node-a", "node-b"])("stops the command on Ctrl-C and leaves nothing on %s", async (node) => {
    const marker = node === "node-a" ? "4711" : "4712";
    const child = spawn(
      process.execPath,
      [`${REPO_DIR}/bin/podcap.js`, "exec", webOn(node).name, "--", "sleep", marker],
      {
        env: { ...process.env, KUBECONFIG: labPaths.kubeconfig, PODCAP_INVENTORY: labPaths.inventory },
        stdio: "ignore",
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const sleeping = () => processesOf(new RegExp(`^sleep ${marker}$`));
    const deadline = Date.now() + 30_000;
    while (sleeping().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(sleeping()).toHaveLength(1);
    child.kill("SIGINT");
    // The command ended by TERM through the runner's stdin switch (sshd refuses signals for root).
    expect(await exited).toBe(143);
    expect(sleeping()).toEqual([]);
    expect(processesOf(/podcap-netns/)).toEqual([]);
    expect(await settledLeftovers()).toEqual([]);
  });
});

describe("podcap bundle", () => {
  it("collects both namespaces in one exec: files with the pod IP, a manifest that lists them", () => {
    const pod = webOn("node-b");
    const out = join(dir, "web-b.bundle");
    const started = Date.now();
    const ran = podcap(["bundle", pod.name, "-o", out, "--json"]);
    const seconds = (Date.now() - started) / 1000;
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toContain(`in ${out}`);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(JSON.parse(ran.stdout)).toEqual(manifest);
    expect(manifest.pod).toMatchObject({ namespace: "demo", name: pod.name, node: "node-b", podIP: pod.ip });
    expect(manifest.pod.pid).toBeGreaterThan(1);
    for (const file of manifest.files) {
      if (!file.written) continue;
      expect(statSync(join(out, file.path)).size, file.path).toBe(file.bytes);
      expect(["pod", "node", "api"]).toContain(file.where);
    }
    const entry = (path: string) => manifest.files.find((f: { path: string }) => f.path === path);
    expect(entry("pod/ip-addr.txt")).toMatchObject({ where: "pod", argv: ["ip", "addr"], exitCode: 0 });
    expect(readFileSync(join(out, "pod/ip-addr.txt"), "utf8")).toContain(`inet ${pod.ip}/`);
    expect(readFileSync(join(out, "node/ip-addr.txt"), "utf8")).not.toContain(`inet ${pod.ip}/`);
    expect(readFileSync(join(out, "pod/ss-tanpi.txt"), "utf8")).toMatch(/^LISTEN .*:80 .*httpd/m);
    expect(readFileSync(join(out, "pod/sysctl-net.txt"), "utf8")).toMatch(/ip_forward:\d/);
    expect(JSON.parse(readFileSync(join(out, "pod.json"), "utf8")).status.podIP).toBe(pod.ip);
    // conntrack is not installed on the lab's nodes: recorded, not a failure.
    expect(manifest.missingTools).toContain("conntrack");
    expect(entry("node/conntrack-src-pod.txt")).toMatchObject({ status: "missing", written: false });
    expect(existsSync(join(out, "node/conntrack-src-pod.txt"))).toBe(false);
    expect(statSync(out).mode & 0o777).toBe(0o700);
    expect(bundleTempDirs()).toEqual([]);
    console.log(
      `bundle of ${pod.name}: ${seconds.toFixed(1)} s in all, ${manifest.durationSeconds} s on the node`,
    );
  });

  it("refuses a directory that is not empty, before any SSH login", () => {
    const logins = sshLogins();
    const out = podcap(["bundle", webOn("node-a").name, "-o", dir]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/not empty/);
    expect(sshLogins()).toBe(logins);
  });
});

describe("podcap capture --bundle", () => {
  it("writes the pcap and the bundle next to it", async () => {
    const pod = webOn("node-a");
    const file = join(dir, "with-bundle.pcap");
    const out = podcap(["capture", pod.name, "-d", "2s", "-o", file, "--bundle"]);
    expect(out.code, out.stderr).toBe(0);
    expect(tsharkLines(file).length).toBeGreaterThan(0);
    const bundle = join(dir, "with-bundle.bundle");
    const manifest = JSON.parse(readFileSync(join(bundle, "manifest.json"), "utf8"));
    expect(manifest.pod).toMatchObject({ name: pod.name, node: "node-a", podIP: pod.ip });
    expect(readFileSync(join(bundle, "pod/ip-addr.txt"), "utf8")).toContain(`inet ${pod.ip}/`);
    expect(await settledLeftovers()).toEqual([]);
    expect(bundleTempDirs()).toEqual([]);
  });

  it("is a usage error with many pods, before any SSH login", () => {
    const logins = sshLogins();
    const out = podcap(["capture", "-l", "app=web", "--bundle", "-d", "1s"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--bundle works with one pod/);
    expect(sshLogins()).toBe(logins);
  });
});

describe("podcap shell", () => {
  it("is a shell in the pod's namespace on a real terminal, with the shell's exit code", async () => {
    const pod = webOn("node-b");
    const started = tmux(
      "new-session",
      "-d",
      "-s",
      SESSION,
      "-x",
      "200",
      "-y",
      "50",
      "-e",
      `KUBECONFIG=${labPaths.kubeconfig}`,
      "-e",
      `PODCAP_INVENTORY=${labPaths.inventory}`,
      "bash --norc --noprofile",
    );
    expect(started.code, started.stderr).toBe(0);
    const screen = () => tmux("capture-pane", "-p", "-J", "-t", SESSION, "-S", "-200").stdout;
    const showing = async (what: RegExp) => {
      const deadline = Date.now() + 30_000;
      while (!what.test(screen())) {
        if (Date.now() > deadline) throw new Error(`the pane never showed ${what}:\n${screen()}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    };
    tmux(
      "send-keys",
      "-t",
      SESSION,
      "-l",
      `node ${REPO_DIR}/bin/podcap.js shell ${pod.name}; echo "EXIT=$?"`,
    );
    tmux("send-keys", "-t", SESSION, "Enter");
    await showing(/exit or Ctrl-D leaves/);
    expect(screen()).toContain(`node node-b, container web`);
    // The prompt of the remote shell, then a command typed at it.
    await new Promise((r) => setTimeout(r, 1500));
    tmux("send-keys", "-t", SESSION, "-l", "ip -4 -o addr show eth0; stty size");
    tmux("send-keys", "-t", SESSION, "Enter");
    await showing(new RegExp(`inet ${pod.ip.replaceAll(".", "\\.")}/`));
    await showing(/^50 200$/m); // the window size reached the remote pty
    tmux("send-keys", "-t", SESSION, "-l", "exit 5");
    tmux("send-keys", "-t", SESSION, "Enter");
    await showing(/EXIT=5/);
    expect(await settledLeftovers()).toEqual([]);
  });

  it("without a terminal exits 2 with a hint, before any SSH login", () => {
    const logins = sshLogins();
    const out = podcap(["shell", webOn("node-a").name]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("podcap exec");
    expect(sshLogins()).toBe(logins);
  });
});

describe("who may enter a pod's network namespace, and the record it leaves", () => {
  it.each([
    ["exec", () => ["exec", webOn("node-a").name, "--context", "lab-viewer", "--", "ip", "addr"]],
    [
      "bundle",
      () => ["bundle", webOn("node-a").name, "--context", "lab-viewer", "-o", join(dir, "viewer.bundle")],
    ],
  ])("refuses the viewer for %s before any SSH login (exit 4)", (_what, args) => {
    const logins = sshLogins();
    const out = podcap(args());
    expect(out.code, out.stderr).toBe(4);
    expect(out.stderr).toContain('user "viewer" (context lab-viewer) may not create pods/exec');
    expect(sshLogins()).toBe(logins);
    expect(existsSync(join(dir, "viewer.bundle"))).toBe(false);
  });

  it("writes one podcap.netns line locally and on the node for each run", () => {
    const pod = webOn("node-b");
    const marker = `audit-${process.pid}`;
    const out = podcap(["exec", pod.name, "--context", "lab-operator", "--", "echo", marker]);
    expect(out.code, out.stderr).toBe(0);
    const inventory = readFileSync(labPaths.inventory, "utf8");
    const local = inventory.match(/localPath: (\S+)/)?.[1] as string;
    const node = inventory.match(/nodePath: (\S+)/)?.[1] as string;
    for (const log of [local, node]) {
      const lines = readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .filter((line) => line.includes(marker));
      expect(lines, log).toHaveLength(1);
      expect(JSON.parse(lines[0] as string)).toMatchObject({
        kind: "podcap.netns",
        action: "exec",
        who: { kubeUser: "operator", kubeContext: "lab-operator" },
        what: { target: { namespace: "demo", pod: pod.name, node: "node-b" }, command: ["echo", marker] },
        result: { status: "ran", exitCode: 0 },
      });
    }
  });
});

describe("bad input: a one-line error, a documented code, nothing on any node", () => {
  it.each([
    ["an unknown pod", ["exec", "no-such-pod-zz", "--", "ip", "addr"], 3, /not found/],
    ["no command after --", ["exec", "web-6b7f9d8c5-k2x4p", "--"], 2, /no command/],
    ["a pod that is not running", ["exec", podNamed("migrate-db-").name, "--", "ip", "a"], 3, /not Running/],
    ["an unknown pod for bundle", ["bundle", "no-such-pod-zz", "-o", join(dir, "none")], 3, /not found/],
  ])("%s", (_what, args, code, message) => {
    const logins = sshLogins();
    const out = podcap(args as string[]);
    expect(out.code).toBe(code);
    expect(out.stderr).toMatch(message as RegExp);
    expect(out.stderr.trim().split("\n")).toHaveLength(2); // the message and its hint
    expect(sshLogins()).toBe(logins);
  });
});
