// `podcap trust` against real sshds: the key it records is one OpenSSH and podcap then accept,
// a second run changes nothing, a changed key is refused, and a jump host is trusted first.

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTrust, type TrustInvocation, type TrustIo } from "../../src/cli/run-trust.js";
import { connectNode } from "../../src/ssh/connect-node.js";
import { trustNode } from "../../src/ssh/trust-node.js";
import { eventually, startLab } from "../apiserver/harness.js";
import { canRunSshd, hopFor, keygen, type Sshd, startSshd, targetFor } from "./sshd-fixture.js";

const fingerprintOf = (hostKeyFile: string) =>
  execFileSync("ssh-keygen", ["-lf", hostKeyFile]).toString().split(" ")[1] ?? "";

/** What `ssh -o StrictHostKeyChecking=yes` says of the server with only this known_hosts. */
function opensshAccepts(sshd: Sshd, knownHosts: string): boolean {
  try {
    execFileSync(
      "ssh",
      [
        ...[
          "-o",
          "BatchMode=yes",
          "-o",
          "StrictHostKeyChecking=yes",
          "-o",
          `UserKnownHostsFile=${knownHosts}`,
        ],
        ...["-o", "GlobalKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-F", "/dev/null"],
        ...["-i", sshd.clientKey, "-p", String(sshd.port), "root@127.0.0.1", "true"],
      ],
      { stdio: "ignore", timeout: 15_000 },
    );
    return true;
  } catch {
    return false;
  }
}

interface Recorder extends TrustIo {
  lines: string[];
}
const recorder = (answer?: boolean): Recorder => {
  const lines: string[] = [];
  return {
    lines,
    say: (line) => lines.push(line),
    ...(answer === undefined ? {} : { ask: async () => answer }),
  };
};

describe.skipIf(!canRunSshd)("podcap trust on a real sshd", () => {
  let sshd: Sshd;
  let fingerprint: string;
  let serial = 0;
  beforeAll(async () => {
    sshd = await startSshd();
    fingerprint = fingerprintOf(sshd.hostKeyFile);
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  /** An inventory naming the sshd as node test-node with its own (fresh) known_hosts. */
  function setup(settings = "") {
    const knownHosts = join(sshd.dir, `trust_known_hosts_${++serial}`);
    const inventory = join(sshd.dir, `inventory_${serial}.yaml`);
    writeFileSync(
      inventory,
      [
        "nodes:",
        "  test-node:",
        "    host: 127.0.0.1",
        `    port: ${sshd.port}`,
        "    user: root",
        "    agent: false",
        `    identityFiles: [${sshd.clientKey}]`,
        `    knownHosts: [${knownHosts}]`,
        settings,
      ].join("\n"),
    );
    const invocation: TrustInvocation = { node: "test-node", inventory, yes: false };
    return { knownHosts, invocation };
  }

  it("records the key with --yes so that OpenSSH and podcap accept it, showing it as ssh does", async () => {
    const { knownHosts, invocation } = setup();
    expect(opensshAccepts(sshd, knownHosts)).toBe(false);
    const io = recorder();
    await expect(runTrust({ ...invocation, yes: true }, io)).resolves.toBe(0);
    expect(readFileSync(knownHosts, "utf8")).toBe(`[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
    expect(io.lines).toContain(
      `The authenticity of node test-node (root@127.0.0.1:${sshd.port}) can't be established.`,
    );
    expect(io.lines).toContain(`ED25519 key fingerprint is ${fingerprint}.`);
    expect(io.lines.at(-1)).toBe(
      `Recorded the ED25519 key ${fingerprint} of node test-node (root@127.0.0.1:${sshd.port}) in ${knownHosts} as [127.0.0.1]:${sshd.port}.`,
    );
    expect(opensshAccepts(sshd, knownHosts)).toBe(true);
    const session = await connectNode(targetFor(sshd, { knownHostsFiles: [knownHosts] }));
    expect((await session.exec(["echo", "ok"])).stdout.toString()).toBe("ok\n");
    await session.close();

    const again = recorder();
    await runTrust({ ...invocation, yes: true }, again);
    expect(readFileSync(knownHosts, "utf8")).toBe(`[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
    expect(again.lines).toEqual([
      `The ED25519 key ${fingerprint} of node test-node (root@127.0.0.1:${sshd.port}) is already trusted (${knownHosts}:1); nothing changed.`,
    ]);
  });

  it("writes hashed entries when the inventory asks, and OpenSSH still accepts them", async () => {
    const { knownHosts, invocation } = setup("settings: { ssh: { hashKnownHosts: true } }");
    await runTrust({ ...invocation, yes: true }, recorder());
    expect(readFileSync(knownHosts, "utf8")).toMatch(/^\|1\|[^ ]+ ssh-ed25519 AAAA\S+\n$/);
    expect(opensshAccepts(sshd, knownHosts)).toBe(true);
  });

  it("refuses without a terminal and without --yes, after showing the fingerprint, writing nothing", async () => {
    const { knownHosts, invocation } = setup();
    const io = recorder();
    await expect(runTrust(invocation, io)).rejects.toMatchObject({
      name: "UsageError",
      message: expect.stringContaining("there is no terminal"),
      hint: expect.stringContaining("podcap trust test-node --yes"),
    });
    expect(io.lines).toContain(`ED25519 key fingerprint is ${fingerprint}.`);
    expect(existsSync(knownHosts)).toBe(false);
  });

  it("asks on a terminal: no writes nothing, yes records", async () => {
    const { knownHosts, invocation } = setup();
    await expect(runTrust(invocation, recorder(false))).rejects.toMatchObject({ name: "HostKeyUnknown" });
    expect(existsSync(knownHosts)).toBe(false);
    await runTrust(invocation, recorder(true));
    expect(opensshAccepts(sshd, knownHosts)).toBe(true);
  });

  it("refuses a changed key loudly and leaves the old line for ssh-keygen -R", async () => {
    const { knownHosts, invocation } = setup();
    const stale = `[127.0.0.1]:${sshd.port} ${keygen(join(sshd.dir, `old_host_key_${serial}`))}\n`;
    writeFileSync(knownHosts, stale);
    const failure = await runTrust({ ...invocation, yes: true }, recorder()).catch((error) => error);
    expect(failure).toMatchObject({ name: "HostKeyMismatch", exitCode: 6 });
    expect(failure.message).toContain(`${fingerprint}, ${knownHosts}:1 holds another key`);
    expect(failure.hint).toContain(`ssh-keygen -R '[127.0.0.1]:${sshd.port}' -f ${knownHosts}`);
    expect(readFileSync(knownHosts, "utf8")).toBe(stale);
  });

  it("records in --known-hosts FILE instead, and says podcap does not read it for the node", async () => {
    const { knownHosts, invocation } = setup();
    const other = join(sshd.dir, `other_known_hosts_${serial}`);
    const io = recorder();
    await runTrust({ ...invocation, yes: true, knownHosts: other }, io);
    expect(existsSync(knownHosts)).toBe(false);
    expect(opensshAccepts(sshd, other)).toBe(true);
    expect(io.lines[0]).toBe(
      `note: podcap reads ${knownHosts} for test-node, not ${other}: add it to the node's knownHosts in the inventory for captures to use it`,
    );
  });

  it("refuses a node name that could be read as an option", async () => {
    await expect(
      runTrust({ node: "-oProxyCommand=touch /tmp/x", yes: true }, recorder()),
    ).rejects.toMatchObject({
      name: "UsageError",
    });
  });

  it("dials the InternalIP the API gives for a node the inventory names without a host", async () => {
    const lab = await startLab();
    try {
      await lab.writeCluster({
        nodes: [
          {
            metadata: { name: "api-node", uid: "node-api" },
            status: { addresses: [{ type: "InternalIP", address: "127.0.0.1" }] },
          },
        ],
      });
      await eventually(async () => (await lab.kubectl("get", "node", "api-node")).code === 0);
      const knownHosts = join(sshd.dir, "api_known_hosts");
      const inventory = join(sshd.dir, "api_inventory.yaml");
      writeFileSync(inventory, `nodes:\n  api-node: { port: ${sshd.port}, knownHosts: [${knownHosts}] }\n`);
      const io = recorder();
      await runTrust({ node: "api-node", inventory, yes: true, kubeconfig: lab.kubeconfig }, io);
      expect(readFileSync(knownHosts, "utf8")).toBe(`[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
      // A node the API does not know is reached by its name (here localhost), with a note saying why.
      const elsewhere = join(sshd.dir, "localhost_known_hosts");
      writeFileSync(inventory, `nodes:\n  localhost: { port: ${sshd.port}, knownHosts: [${elsewhere}] }\n`);
      const named = recorder();
      await runTrust({ node: "localhost", inventory, yes: true, kubeconfig: lab.kubeconfig }, named);
      expect(named.lines[0]).toBe(
        'note: no node "localhost" in the cluster; reaching localhost by that name',
      );
      expect(readFileSync(elsewhere, "utf8")).toBe(`[localhost]:${sshd.port} ${sshd.hostPublicKey}\n`);
    } finally {
      await lab.stop();
    }
  });
});

describe.skipIf(!canRunSshd)("podcap trust through a jump host", () => {
  let jump: Sshd;
  let node: Sshd;
  beforeAll(async () => {
    [jump, node] = await Promise.all([startSshd(), startSshd()]);
  });
  afterAll(async () => {
    await Promise.all([jump?.stop(), node?.stop()]);
  });

  it("trusts the jump host first, then the node behind it, each in its own known_hosts", async () => {
    const jumpKnown = join(jump.dir, "trust_known_hosts");
    const nodeKnown = join(node.dir, "trust_known_hosts");
    const target = targetFor(node, {
      knownHostsFiles: [nodeKnown],
      jump: [hopFor(jump, { knownHostsFiles: [jumpKnown] })],
    });
    const asked: string[] = [];
    const reported: string[] = [];
    const outcomes = await trustNode(target, {
      confirm: async (seen) => {
        asked.push(seen.label);
        return true;
      },
      report: (trust) => reported.push(`${trust.label}: ${trust.status}`),
    });
    expect(asked).toEqual([
      `jump host 1/1 (root@127.0.0.1:${jump.port})`,
      `node test-node (root@127.0.0.1:${node.port})`,
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["recorded", "recorded"]);
    expect(readFileSync(jumpKnown, "utf8")).toBe(`[127.0.0.1]:${jump.port} ${jump.hostPublicKey}\n`);
    expect(readFileSync(nodeKnown, "utf8")).toBe(`[127.0.0.1]:${node.port} ${node.hostPublicKey}\n`);
    const session = await connectNode(target);
    await session.close();

    const again = await trustNode(target, { confirm: async () => true, report: () => {} });
    expect(again.map((outcome) => outcome.status)).toEqual(["already-trusted", "already-trusted"]);
  });

  it("goes no further than a jump host the user does not trust", async () => {
    const jumpKnown = join(jump.dir, "declined_known_hosts");
    const nodeKnown = join(node.dir, "declined_known_hosts");
    const target = targetFor(node, {
      knownHostsFiles: [nodeKnown],
      jump: [hopFor(jump, { knownHostsFiles: [jumpKnown] })],
    });
    const asked: string[] = [];
    await expect(
      trustNode(target, {
        confirm: async (seen) => {
          asked.push(seen.label);
          return false;
        },
        report: () => {},
      }),
    ).rejects.toMatchObject({ name: "HostKeyUnknown", message: expect.stringContaining("jump host 1/1") });
    expect(asked).toHaveLength(1);
    expect(existsSync(jumpKnown) || existsSync(nodeKnown)).toBe(false);
  });
});
