// Bad input and unreachable nodes: one line of error, one line of hint, the documented exit
// code, and nothing run on any node (no SSH login for what is refused before reach, no capture
// left behind, no canary created by shell metacharacters).

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ensureLab, labPaths, podcap, podNamed, settledLeftovers, sshLogins } from "./lab-env.js";

const dir = mkdtempSync(join(tmpdir(), "podcap-errors-"));
const canary = join(dir, "canary");
beforeAll(ensureLab);

/** An inventory like the lab's with node-a changed. */
function inventoryWith(change: (nodeA: Record<string, unknown>) => void, knownHosts?: string): string {
  const inventory = parse(readFileSync(labPaths.inventory, "utf8"));
  change(inventory.nodes["node-a"]);
  if (knownHosts !== undefined) {
    const file = join(dir, `known_hosts_${Math.random().toString(16).slice(2)}`);
    writeFileSync(file, knownHosts);
    inventory.defaults.knownHosts = [file];
  }
  const file = join(dir, `inventory_${Math.random().toString(16).slice(2)}.yaml`);
  writeFileSync(file, stringify(inventory));
  return file;
}

function expectRefusal(args: string[], code: number, message: RegExp) {
  rmSync(canary, { force: true });
  const out = podcap(["capture", ...args, "-d", "2s", "-o", join(dir, "x.pcap")]);
  const lines = out.stderr.trim().split("\n");
  expect(out.code, out.stderr).toBe(code);
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(message);
  expect(lines[1]).toMatch(/^ {2}hint: \S/);
  expect(existsSync(canary)).toBe(false);
}

describe("refused before any SSH connection", () => {
  it.each([
    [["no-such-pod"], 3, /pod "no-such-pod" not found in namespace "demo"/],
    [[`web$(touch ${canary})`], 2, /invalid pod name|cannot capture a/],
    [["web;id"], 2, /invalid pod name/],
    [["--port", "80;reboot", "web"], 2, /port/i],
    [["configmap/web"], 2, /cannot capture a "configmap"/],
    [["-l", "app=web;id"], 2, /invalid label selector/],
    [["--node", "node-a;id"], 2, /invalid node name/],
    [["-i", "eth0;id", "web"], 2, /interface/],
    [["-f", "-w /etc/passwd", "web"], 2, /filter/],
  ])("podcap capture %j exits %i", (args, code, message) => {
    const before = sshLogins();
    expectRefusal(args as string[], code as number, message as RegExp);
    expect(sshLogins()).toBe(before);
  });

  it("points at the right namespace for a pod that is elsewhere", () => {
    const dns = podNamed("coredns-", "kube-system");
    const before = sshLogins();
    expectRefusal([dns.name, "-n", "demo"], 3, /not found in namespace "demo"/);
    expect(podcap(["capture", dns.name, "-n", "demo"]).stderr).toContain("-n kube-system");
    expect(sshLogins()).toBe(before);
  });

  it("refuses a pod that is not running", () => {
    expectRefusal([podNamed("migrate-db-").name], 3, /is Succeeded, not Running/);
  });
});

describe("refused by the node, nothing left there", () => {
  it.each([
    [["-f", "tcp port 80 and ("], 8, /invalid capture filter/],
    [["-f", `tcp port 80; touch ${canary}`], 8, /invalid capture filter/],
    [["-i", "eth9"], 8, /no interface "?eth9/],
  ])("podcap capture web %j exits %i", async (args, code, message) => {
    expectRefusal([podNamed("web-").name, ...(args as string[])], code as number, message as RegExp);
    expect(await settledLeftovers()).toEqual([]);
  });

  it("a bad filter in a fan-out: each pod refuses it, exit 8, nothing left on the nodes", async () => {
    const out = podcap([
      "capture",
      "-l",
      "app=web",
      "-f",
      "tcp port 80 and (",
      "-d",
      "2s",
      "-o",
      join(dir, "x.pcapng"),
    ]);
    expect(out.code, out.stderr).toBe(8);
    const refusals = out.stderr
      .split("\n")
      .filter((line) => /: failed: invalid capture filter .*syntax error/.test(line));
    expect(refusals.length, out.stderr).toBeGreaterThanOrEqual(3);
    expect(out.stderr).toContain("hint: check the BPF syntax");
    expect(await settledLeftovers()).toEqual([]);
  });

  it("says a node is unreachable", () => {
    const inventory = inventoryWith((node) => {
      node.port = 2222;
    });
    expectRefusal([podNamed("static-").name, "--inventory", inventory], 5, /node-a|10\.77\.0\.11/);
  });

  it("refuses an unknown host key with its fingerprint", () => {
    const inventory = inventoryWith(() => {}, "");
    expectRefusal([podNamed("static-").name, "--inventory", inventory], 6, /SHA256:/);
  });

  it("refuses a changed host key", () => {
    const bastionKey = readFileSync(
      join(labPaths.nodes, "bastion", "ssh_host_ed25519_key.pub"),
      "utf8",
    ).split(" ");
    const inventory = inventoryWith(() => {}, `10.77.0.11 ${bastionKey[0]} ${bastionKey[1]}\n`);
    expectRefusal([podNamed("static-").name, "--inventory", inventory], 6, /SHA256:/);
  });
});
