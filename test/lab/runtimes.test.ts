// Each way of finding a container's PID, end to end on the lab: the cgroup scan podcap asks
// first, and the runtimes' own CLIs (docker on node-a and node-c, ctr on node-b through sudo and
// a socket off the default path, ctr on node-d) when an inventory names them, for a node's pods in
// one batch (a fan-out) and for one pod alone. Each must give the PID the runtime itself knows.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { containerPid, ensureLab, labPaths, podcap, podNamed, settledLeftovers } from "./lab-env.js";

const dir = mkdtempSync(join(tmpdir(), "podcap-runtimes-"));
beforeAll(ensureLab);

/** The lab's inventory with each node's `runtimes` set as given. */
function inventoryWith(runtimes: Record<string, string[]>): string {
  const inventory = parse(readFileSync(labPaths.inventory, "utf8"));
  for (const [node, list] of Object.entries(runtimes)) inventory.nodes[node].runtimes = list;
  const file = join(dir, `inventory-${Object.values(runtimes).flat().join("-") || "default"}.yaml`);
  writeFileSync(file, stringify(inventory));
  return file;
}

interface Found {
  containerID: string;
  runtime: string;
  pid: number;
}

describe.each([
  ["the cgroup scan, asked first", {}, { docker: "cgroup", containerd: "cgroup" }],
  [
    "the runtimes' CLIs, as an inventory names them",
    { "node-a": ["docker"], "node-b": ["ctr"], "node-c": ["docker"], "node-d": ["ctr"] },
    { docker: "docker", containerd: "ctr" },
  ],
])("the container's PID from %s", (_how, runtimes, expected) => {
  const env = () => ({ PODCAP_INVENTORY: inventoryWith(runtimes) });
  const expectFound = (found: Found) => {
    const scheme = found.containerID.startsWith("docker://") ? "docker" : "containerd";
    expect(found.runtime).toBe(expected[scheme]);
    expect(found.pid).toBe(containerPid(found.containerID));
  };

  it("for every web pod of a fan-out, where a node's pods are asked about together", async () => {
    const file = join(dir, `web-${expected.docker}.pcapng`);
    const out = podcap(["capture", "-l", "app=web", "-n", "demo", "-d", "2s", "-o", file, "--json"], env());
    expect(out.code, out.stderr).toBe(0);
    const targets: Found[] = JSON.parse(out.stdout).targets;
    expect(new Set(targets.map((t) => t.containerID.split("://")[0]))).toEqual(
      new Set(["docker", "containerd"]),
    );
    for (const target of targets) expectFound(target);
    expect(await settledLeftovers()).toEqual([]);
  });

  it("for one pod alone (the client, on node-d)", async () => {
    const client = podNamed("client-");
    const file = join(dir, `client-${expected.containerd}.pcap`);
    const out = podcap(["capture", client.name, "-n", "demo", "-d", "1s", "-o", file, "--json"], env());
    expect(out.code, out.stderr).toBe(0);
    expectFound(JSON.parse(out.stdout));
    expect(await settledLeftovers()).toEqual([]);
  });
});
