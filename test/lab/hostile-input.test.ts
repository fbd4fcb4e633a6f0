// Hostile input, case by case: shell metacharacters, line breaks, over-long values, option
// injection, path traversal, bad YAML, bad kubeconfig, bad inventory. Each gets a clear error
// with a hint and the documented exit code, and nothing runs on any node: no sshd of the lab
// accepts a login, no capture is left, and the canary that a shell would create never appears.

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureLab, podcap, podNamed, settledLeftovers, sshLogins } from "./lab-env.js";

const dir = mkdtempSync(join(tmpdir(), "podcap-hostile-"));
const CANARY = join(dir, "canary");
const touch = `touch ${CANARY}`;
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
let web = "";
beforeAll(() => {
  ensureLab();
  web = podNamed("web-").name;
  mkdirSync(join(dir, "a-directory"), { recursive: true });
});

type Case = [what: string, args: () => string[], code: number, env?: () => Record<string, string>];

const CASES: Case[] = [
  ["a pod name with ;", () => ["web;id"], 2],
  ["a pod name with &&", () => ["web && id"], 2],
  ["a pod name with |", () => ["web|id"], 2],
  ["a pod name with $()", () => [`$(${touch})`], 2],
  ["a pod name with backquotes", () => [`\`${touch}\``], 2],
  ["a pod name with a newline", () => ["web\nid"], 2],
  ["a pod name with a terminal escape", () => ["web\u001b[2J"], 2],
  ["an uppercase pod name", () => ["Web-1"], 2],
  ["a 300-character pod name", () => ["a".repeat(300)], 2],
  ["a pod name that is an option", () => ["-rf"], 2],
  ["a pod name starting with - after --", () => ["--", "-rf"], 2],
  ["a pod name with ..", () => ["../etc/passwd"], 2],
  ["a workload name with ;", () => ["deploy/web;id"], 2],
  ["a service name with $()", () => ["svc/$(id)"], 2],
  ["a kind that is not capturable", () => ["secret/web"], 2],
  ["a namespace with ;", () => [web, "-n", "demo;id"], 2],
  ["a namespace with ..", () => [web, "-n", "../kube-system"], 2],
  ["a context that does not exist", () => [web, "--context", `lab;${touch}`], 2],
  ["a filter that is an option", () => [web, "-f", "-w /etc/passwd"], 2],
  ["a filter with ; and a command", () => [web, "-f", `tcp port 80; ${touch}`], 8],
  ["a filter with $()", () => [web, "-f", `host $(${touch})`], 8],
  ["a filter with backquotes", () => [web, "-f", `host \`${touch}\``], 8],
  ["a filter with quotes", () => [web, "-f", "host '1.2.3.4'"], 8],
  ["a filter with a newline", () => [web, "-f", `tcp\n${touch}`], 2],
  ["a 5000-character filter", () => [web, "-f", `tcp or ${"udp or ".repeat(700)}icmp`], 2],
  ["an interface with ;", () => [web, "-i", "eth0;id"], 2],
  ["an interface that is an option", () => [web, "-i", "-w"], 2],
  ["a 20-character interface", () => [web, "-i", "e".repeat(20)], 2],
  ["a port with ;", () => [web, "--port", "80;reboot"], 2],
  ["a port out of range", () => [web, "--port", "70000"], 2],
  ["a protocol with ;", () => [web, "--proto", "tcp;id"], 2],
  ["a negative snaplen", () => [web, "-s", "-1"], 2],
  ["a snaplen in scientific notation", () => [web, "-s", "1e9"], 2],
  ["a count with ;", () => [web, "--count", "1;id"], 2],
  ["a duration with ;", () => [web, "-d", "5s;id"], 2],
  ["a negative duration", () => [web, "-d", "-5s"], 2],
  ["a size with a made-up unit", () => [web, "--max-size", "10XB"], 2],
  ["a node limit with ;", () => [web, "--node-limit", "1h;id"], 2],
  ["an output path with a newline", () => [web, "-o", join(dir, "x\ny.pcap")], 2],
  ["an output path that is a directory", () => [web, "-o", join(dir, "a-directory")], 2],
  ["an output path in a missing directory", () => [web, "-o", join(dir, "..", "no-such-dir", "x.pcap")], 2],
  ["-o and --wireshark together", () => [web, "-o", join(dir, "x.pcap"), "--wireshark"], 2],
  ["a selector with ;", () => ["-l", `app=web;${touch}`], 2],
  ["a selector with $()", () => ["-l", "app=$(id)"], 2],
  ["a node name with ..", () => ["--node", "../node-a"], 2],
  ["-A with nothing to select", () => ["-A"], 2],
  ["--split to standard output", () => ["-l", "app=web", "--split", "-o", "-"], 2],
  ["an inventory that is not YAML", () => [web, "--inventory", file("bad.yaml", "nodes: [\n  - {")], 2],
  ["an inventory with an unknown field", () => [web, "--inventory", file("unknown.yaml", "nodez: {}\n")], 2],
  [
    "an inventory with a wrong type",
    () => [web, "--inventory", file("type.yaml", "nodes:\n  node-a:\n    port: twenty-two\n")],
    2,
  ],
  [
    "an inventory with a NUL byte",
    () => [web, "--inventory", file("nul.yaml", "nodes:\n  node-a:\n    host: a\u0000b\n")],
    2,
  ],
  ["an inventory that does not exist", () => [web, "--inventory", join(dir, "nope.yaml")], 2],
  [
    "a kubeconfig that is not YAML",
    () => [web],
    2,
    () => ({ KUBECONFIG: file("kubeconfig-bad", "apiVersion: [") }),
  ],
  [
    "a kubeconfig with no current context",
    () => [web],
    2,
    () => ({ KUBECONFIG: file("kubeconfig-empty", "apiVersion: v1\nkind: Config\n") }),
  ],
  ["--kubeconfig naming a missing file", () => [web, "--kubeconfig", join(dir, "no-kubeconfig")], 2],
];

describe("hostile input: a clear error, the documented exit code, nothing run on any node", () => {
  it("has at least forty cases", () => expect(CASES.length).toBeGreaterThanOrEqual(40));

  it.each(CASES)("%s", async (_what, args, code, env) => {
    rmSync(CANARY, { force: true });
    const before = sshLogins();
    const out = podcap(["capture", "-d", "2s", ...args()], env?.() ?? {});
    expect(out.code, out.stderr).toBe(code);
    const lines = out.stderr.trim().split("\n");
    expect(lines.length, out.stderr).toBeLessThanOrEqual(3);
    expect(out.stderr).toMatch(/hint: \S|run with --help/);
    expect([...out.stderr].filter((c) => c < " " && c !== "\n")).toEqual([]);
    expect(existsSync(CANARY)).toBe(false);
    expect(sshLogins()).toBe(before);
    expect(await settledLeftovers(1000)).toEqual([]);
  });
});
