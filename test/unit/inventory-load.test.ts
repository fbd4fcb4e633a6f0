import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadInventory, locateInventory, parseInventory } from "../../src/inventory/inventory-load.js";

const dir = mkdtempSync(join(tmpdir(), "podcap-inventory-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function failure(text: string): { message: string; hint: string } {
  try {
    parseInventory(text, "/etc/inv.yaml");
  } catch (error) {
    return error as { message: string; hint: string };
  }
  throw new Error("expected the inventory to be refused");
}

describe("inventory schema", () => {
  it("reads defaults, nodes in file order, empty entries and settings", () => {
    const inventory = parseInventory(
      [
        "version: 1",
        "defaults:",
        "  user: admin",
        "  sudo: true",
        "nodes:",
        "  node-a:",
        "    host: 10.0.0.5",
        "    port: 2222",
        "    jump: [ops@bastion:2200, { host: inner, identityFiles: [keys/inner] }]",
        '  "node-*":',
        "    runtimes: [crictl, cgroup]",
        "    sockets: { containerd: /run/k3s/containerd/containerd.sock }",
        "  node-empty:",
        "settings:",
        "  ssh: { connectTimeoutSeconds: 5 }",
      ].join("\n"),
      "/etc/podcap/inv.yaml",
    );
    expect(inventory.baseDir).toBe("/etc/podcap");
    expect(inventory.defaults).toEqual({ user: "admin", sudo: true });
    expect(inventory.nodes.map((node) => node.pattern)).toEqual(["node-a", "node-*", "node-empty"]);
    expect(inventory.nodes[2]?.entry).toEqual({});
    expect(inventory.settings.ssh?.connectTimeoutSeconds).toBe(5);
  });

  it("accepts an empty file", () => {
    expect(parseInventory("", "/x.yaml").nodes).toEqual([]);
  });

  it("names the file, line and field of an unknown key", () => {
    const error = failure("nodes:\n  node-a:\n    host: h\n    prot: 22\n");
    expect(error.message).toBe("invalid inventory /etc/inv.yaml:4:5: nodes.node-a: unknown field prot");
  });

  it("points a wrong value at its own line", () => {
    const error = failure("defaults:\n  user: root\n  port: twenty-two\n");
    expect(error.message).toMatch(/^invalid inventory \/etc\/inv\.yaml:3:9: defaults\.port: .*number/);
  });

  it("checks jump host strings, runtimes and remote socket paths", () => {
    expect(failure("nodes:\n  a:\n    jump: ['root@:22']\n").message).toMatch(
      /inv\.yaml:3:12: nodes\.a\.jump\[0\]: bad host in jump host/,
    );
    expect(failure("nodes:\n  a:\n    runtimes: [podman]\n").message).toMatch(
      /inv\.yaml:3:16: nodes\.a\.runtimes\[0\]/,
    );
    expect(failure("nodes:\n  a:\n    sockets:\n      docker: run/docker.sock\n").message).toMatch(
      /inv\.yaml:4:15: nodes\.a\.sockets\.docker: must be an absolute path on the node/,
    );
  });

  it("counts further problems and lists them in the hint", () => {
    const error = failure("bogus: 1\ndefaults:\n  sudo: maybe\n");
    expect(error.message).toMatch(/\(and 1 more\)$/);
    expect(error.hint).toMatch(/inv\.yaml:3:9: defaults\.sudo/);
  });

  it("reports YAML syntax errors with their line", () => {
    expect(failure("nodes:\n  a: [unclosed\n").message).toMatch(
      /^invalid YAML in \/etc\/inv\.yaml:\d+:\d+: /,
    );
    expect(failure("nodes:\n  a: {}\n  a: {}\n").message).toMatch(
      /^invalid YAML in \/etc\/inv\.yaml:3:3: .*unique/i,
    );
  });
});

describe("finding the inventory", () => {
  it("prefers --inventory, then PODCAP_INVENTORY, then the per-user default", () => {
    expect(locateInventory("/a.yaml", { PODCAP_INVENTORY: "/b.yaml" }, "/home/u")).toEqual({
      path: "/a.yaml",
      explicit: true,
    });
    expect(locateInventory(undefined, { PODCAP_INVENTORY: "/b.yaml" }, "/home/u").path).toBe("/b.yaml");
    expect(locateInventory(undefined, {}, "/home/u")).toEqual({
      path: "/home/u/.config/podcap/inventory.yaml",
      explicit: false,
    });
  });

  it("treats a missing default file as an empty inventory, a missing named one as an error", async () => {
    const missing = join(dir, "none.yaml");
    expect((await loadInventory({ path: missing, explicit: false })).nodes).toEqual([]);
    await expect(loadInventory({ path: missing, explicit: true })).rejects.toMatchObject({
      name: "ConfigInvalid",
    });
    const file = join(dir, "inv.yaml");
    writeFileSync(file, "nodes:\n  a: { host: h }\n");
    expect((await loadInventory({ path: file, explicit: true })).file).toBe(file);
  });
});

describe("inventory.example.yaml", () => {
  it("is a valid inventory that uses every field", async () => {
    const path = new URL("../../inventory.example.yaml", import.meta.url).pathname;
    const inventory = await loadInventory({ path, explicit: true });
    const worker = inventory.nodes.find((node) => node.pattern === "worker-1")?.entry ?? {};
    expect(Object.keys(worker).sort()).toEqual(
      [
        "host",
        "port",
        "user",
        "identityFiles",
        "agent",
        "sudo",
        "knownHosts",
        "hostKeyAlias",
        "runtimes",
        "sockets",
        "tcpdumpPath",
      ].sort(),
    );
    expect(inventory.nodes.some((node) => node.entry.jump?.length === 2)).toBe(true);
    expect(inventory.settings.ssh).toEqual({ connectTimeoutSeconds: 20, hashKnownHosts: false });
  });
});
