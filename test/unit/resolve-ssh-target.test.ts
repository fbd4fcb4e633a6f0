// Resolution as a pure function: inventory layers, ~/.ssh/config, node addresses and OpenSSH
// defaults, with a made-up local environment.

import { describe, expect, it } from "vitest";
import { parseInventory } from "../../src/inventory/inventory-load.js";
import type { LocalEnvironment } from "../../src/inventory/local-environment.js";
import { namesNodeHost, resolveSshTarget } from "../../src/inventory/resolve-ssh-target.js";
import { parseSshConfig } from "../../src/inventory/ssh-config-file.js";

const env: LocalEnvironment = {
  home: "/home/u",
  localUser: "me",
  uid: 1000,
  agentSocket: "/tmp/agent.sock",
  fileExists: (path) => path === "/home/u/.ssh/id_rsa" || path === "/home/u/.ssh/id_ed25519",
};
const addresses = [
  { type: "Hostname", address: "node-x.internal" },
  { type: "InternalIP", address: "10.0.0.9" },
];
const noConfig = parseSshConfig("");
const noInventory = parseInventory("", "/etc/podcap/inventory.yaml");

describe("resolveSshTarget without configuration", () => {
  it("dials the InternalIP with OpenSSH's defaults", () => {
    expect(resolveSshTarget("node-x", addresses, noInventory, noConfig, env)).toEqual({
      nodeName: "node-x",
      host: "10.0.0.9",
      port: 22,
      user: "me",
      identityFiles: ["/home/u/.ssh/id_ed25519", "/home/u/.ssh/id_rsa"],
      agent: "/tmp/agent.sock",
      knownHostsFiles: ["/home/u/.ssh/known_hosts", "/etc/ssh/ssh_known_hosts"],
      jump: [],
      sudo: true,
      runtimes: [],
      sockets: {},
      tcpdumpPath: "tcpdump",
    });
  });

  it("falls back to the Hostname address, then to the node name", () => {
    const hostnameOnly = [{ type: "Hostname", address: "node-x.internal" }];
    expect(resolveSshTarget("node-x", hostnameOnly, noInventory, noConfig, env).host).toBe("node-x.internal");
    expect(resolveSshTarget("node-x", [], noInventory, noConfig, env).host).toBe("node-x");
  });
});

describe("resolveSshTarget with an inventory", () => {
  const inventory = parseInventory(
    [
      "defaults:",
      "  user: root",
      "  identityFiles: [keys/fleet]",
      "  sockets: { docker: /run/docker.sock }",
      "nodes:",
      '  "node-*":',
      "    port: 2200",
      "    sudo: false",
      "    sockets: { containerd: /run/k3s/containerd/containerd.sock }",
      '  "*-x":',
      "    port: 2300",
      "    tcpdumpPath: /opt/bin/tcpdump",
      "  node-x:",
      "    host: 192.168.1.9",
      "    agent: false",
      "    knownHosts: [~/kh, ./kh2]",
      "    runtimes: [ctr]",
      "    jump: [ops@bastion:2222, { host: inner, identityFiles: [/keys/inner] }]",
    ].join("\n"),
    "/etc/podcap/inventory.yaml",
  );
  const target = resolveSshTarget("node-x", addresses, inventory, noConfig, env);

  it("lets the exact name beat patterns, the first pattern beat later ones, and defaults come last", () => {
    expect(target).toMatchObject({
      host: "192.168.1.9",
      port: 2200,
      user: "root",
      sudo: false,
      runtimes: ["ctr"],
      tcpdumpPath: "/opt/bin/tcpdump",
      sockets: { docker: "/run/docker.sock", containerd: "/run/k3s/containerd/containerd.sock" },
    });
    expect(target.agent).toBeUndefined();
  });

  it("reads relative paths from the inventory's directory and ~ from home", () => {
    expect(target.identityFiles).toEqual(["/etc/podcap/keys/fleet"]);
    expect(target.knownHostsFiles).toEqual(["/home/u/kh", "/etc/podcap/kh2"]);
  });

  it("resolves jump hosts, borrowing the node's keys and known_hosts when they name none", () => {
    expect(target.jump).toEqual([
      {
        host: "bastion",
        port: 2222,
        user: "ops",
        identityFiles: ["/etc/podcap/keys/fleet"],
        knownHostsFiles: ["/home/u/kh", "/etc/podcap/kh2"],
      },
      {
        host: "inner",
        port: 22,
        user: "me",
        identityFiles: ["/keys/inner"],
        knownHostsFiles: ["/home/u/kh", "/etc/podcap/kh2"],
      },
    ]);
  });

  it("uses sudo by default for a non-root login only", () => {
    const plain = parseInventory("defaults: { user: admin }", "/i.yaml");
    expect(resolveSshTarget("n", addresses, plain, noConfig, env).sudo).toBe(true);
    const root = parseInventory("defaults: { user: root }", "/i.yaml");
    expect(resolveSshTarget("n", addresses, root, noConfig, env).sudo).toBe(false);
  });
});

describe("resolveSshTarget with ~/.ssh/config", () => {
  const config = parseSshConfig(
    [
      "Host bastion",
      "  HostName 203.0.113.7",
      "  User jumper",
      "  IdentityFile ~/.ssh/bastion",
      "Host node-a",
      "  HostName 10.1.0.5",
      "  User admin",
      "  ProxyJump bastion",
      "Host 10.0.0.*",
      "  User byaddress",
      "  Port 2022",
      "  UserKnownHostsFile ~/.ssh/fleet_hosts",
      "  GlobalKnownHostsFile /dev/null",
      "  IdentitiesOnly yes",
      "Host *",
      "  User everyone",
    ].join("\n"),
  );

  it("looks the node name up first, as `ssh node-a` would, with its ProxyJump", () => {
    const target = resolveSshTarget("node-a", addresses, noInventory, config, env);
    expect(target).toMatchObject({ host: "10.1.0.5", user: "admin", port: 22 });
    expect(target.jump).toEqual([
      {
        host: "203.0.113.7",
        port: 22,
        user: "jumper",
        identityFiles: ["/home/u/.ssh/bastion"],
        agent: "/tmp/agent.sock",
        knownHostsFiles: ["/home/u/.ssh/known_hosts", "/etc/ssh/ssh_known_hosts"],
      },
    ]);
  });

  it("else looks the address up, as `ssh 10.0.0.9` would", () => {
    const target = resolveSshTarget("node-b", addresses, noInventory, config, env);
    expect(target).toMatchObject({
      host: "10.0.0.9",
      user: "byaddress",
      port: 2022,
      knownHostsFiles: ["/home/u/.ssh/fleet_hosts", "/dev/null"],
    });
    // IdentitiesOnly: the agent would offer every key it holds.
    expect(target.agent).toBeUndefined();
  });

  it("keeps inventory fields over ~/.ssh/config and takes the rest from it", () => {
    const inventory = parseInventory("nodes:\n  node-a: { user: root, jump: [] }", "/i.yaml");
    const target = resolveSshTarget("node-a", addresses, inventory, config, env);
    expect(target).toMatchObject({ host: "10.1.0.5", user: "root", jump: [] });
  });

  it("stops a ProxyJump loop", () => {
    const loop = parseSshConfig("Host a\n  ProxyJump b\nHost b\n  ProxyJump a\n");
    expect(() => resolveSshTarget("a", addresses, noInventory, loop, env)).toThrow(/nest more than/);
  });
});

describe("namesNodeHost: whether the Node object's addresses are needed", () => {
  const named = parseInventory("nodes:\n  node-x:\n    host: 10.1.1.1\n", "/etc/podcap/inventory.yaml");
  const byPattern = parseInventory('nodes:\n  "node-*":\n    host: bastion.example\n', "/x/i.yaml");
  const hostBlock = parseSshConfig("Host node-x\n  HostName node-x.example\n");
  const userOnly = parseSshConfig("Host node-x\n  User admin\n");
  const cases = [
    ["nothing names a host", noInventory, noConfig, false],
    ["the inventory's entry for the node", named, noConfig, true],
    ["an inventory pattern", byPattern, noConfig, true],
    ["a Host block for the node with a HostName", noInventory, hostBlock, true],
    ["a Host block for the node without a HostName", noInventory, userOnly, false],
  ] as const;
  it.each(cases)("%s: %s", (_what, inventory, config, expected) => {
    expect(namesNodeHost("node-x", inventory, config, env)).toBe(expected);
  });
  it.each(cases.filter(([, , , expected]) => expected))(
    "%s: the target is the same without the addresses",
    (_what, inventory, config) => {
      expect(resolveSshTarget("node-x", [], inventory, config, env)).toEqual(
        resolveSshTarget("node-x", addresses, inventory, config, env),
      );
    },
  );
  it.each(cases.filter(([, , , expected]) => !expected))(
    "%s: the addresses change the target",
    (_what, inventory, config) => {
      expect(resolveSshTarget("node-x", [], inventory, config, env).host).not.toBe(
        resolveSshTarget("node-x", addresses, inventory, config, env).host,
      );
    },
  );
});
