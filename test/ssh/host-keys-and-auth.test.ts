// Connection refusals against a real sshd: unknown, changed and revoked host keys, hashed
// known_hosts, the insecure mode, authentication failures and a closed port.

import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PodcapError } from "../../src/errors.js";
import type { SshTarget } from "../../src/inventory/ssh-target.js";
import { connectNode } from "../../src/ssh/connect-node.js";
import { canRunSshd, keygen, type Sshd, startSshd, targetFor } from "./sshd-fixture.js";

function fingerprintOf(hostKeyFile: string): string {
  // `ssh-keygen -lf` prints "256 SHA256:... comment (ED25519)".
  return execFileSync("ssh-keygen", ["-lf", hostKeyFile]).toString().split(" ")[1] ?? "";
}

/** The error connecting fails with; connecting successfully fails the test. */
async function refusal(target: SshTarget): Promise<PodcapError> {
  const session = await connectNode(target).catch((error: PodcapError) => error);
  if (!("hint" in session)) {
    await session.close();
    throw new Error("expected the connection to be refused");
  }
  return session;
}

describe.skipIf(!canRunSshd)("host keys and authentication on a real sshd", () => {
  let sshd: Sshd;
  let fingerprint: string;
  beforeAll(async () => {
    sshd = await startSshd();
    fingerprint = fingerprintOf(sshd.hostKeyFile);
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  const knownHostsWith = (name: string, text: string) => {
    const file = join(sshd.dir, name);
    writeFileSync(file, text);
    return file;
  };

  it("refuses an unknown host key, naming its fingerprint and the ways to trust it", async () => {
    const empty = knownHostsWith("empty_known_hosts", "");
    const error = await refusal(targetFor(sshd, { knownHostsFiles: [empty] }));
    expect(error.name).toBe("HostKeyUnknown");
    expect(error.message).toContain(fingerprint);
    expect(error.hint).toContain("podcap trust test-node");
    expect(error.hint).toContain(`ssh-keyscan -p ${sshd.port} 127.0.0.1 >> ${empty}`);
  });

  it("refuses a changed host key with the file and the ssh-keygen -R way out", async () => {
    const otherKey = keygen(join(sshd.dir, "other_host_key"));
    const stale = knownHostsWith("stale_known_hosts", `# old\n[127.0.0.1]:${sshd.port} ${otherKey}\n`);
    const error = await refusal(targetFor(sshd, { knownHostsFiles: [stale] }));
    expect(error).toMatchObject({ name: "HostKeyMismatch" });
    expect(error.message).toContain(fingerprint);
    expect(error.message).toContain(`${stale}:2`);
    expect(error.hint).toContain(`ssh-keygen -R '[127.0.0.1]:${sshd.port}' -f ${stale}`);
  });

  it("refuses a key marked @revoked even when another line trusts it", async () => {
    const revoked = knownHostsWith(
      "revoked_known_hosts",
      `[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n@revoked * ${sshd.hostPublicKey}\n`,
    );
    await expect(connectNode(targetFor(sshd, { knownHostsFiles: [revoked] }))).rejects.toMatchObject({
      name: "HostKeyMismatch",
      message: expect.stringContaining("@revoked"),
    });
  });

  it("accepts a known_hosts hashed by ssh-keygen -H", async () => {
    const hashed = knownHostsWith("hashed_known_hosts", readFileSync(sshd.knownHosts, "utf8"));
    execFileSync("ssh-keygen", ["-H", "-f", hashed], { stdio: "ignore" });
    expect(readFileSync(hashed, "utf8")).toMatch(/^\|1\|/);
    const session = await connectNode(targetFor(sshd, { knownHostsFiles: [hashed] }));
    expect((await session.exec(["echo", "ok"])).stdout.toString()).toBe("ok\n");
    await session.close();
  });

  it("asks for the key type known_hosts holds, as ssh does, when the server has several", async () => {
    const both = await startSshd({ hostKeyTypes: ["ed25519", "rsa"] });
    try {
      const rsaOnly = join(both.dir, "rsa_known_hosts");
      writeFileSync(rsaOnly, `[127.0.0.1]:${both.port} ${both.hostPublicKeys.rsa}\n`);
      const session = await connectNode(targetFor(both, { knownHostsFiles: [rsaOnly] }));
      await session.close();
    } finally {
      await both.stop();
    }
  });

  it("accepts an unknown key with --insecure-accept-host-key, warning loudly", async () => {
    const warnings: string[] = [];
    const empty = knownHostsWith("insecure_known_hosts", "");
    const session = await connectNode(targetFor(sshd, { knownHostsFiles: [empty] }), {
      insecureAcceptHostKey: true,
      warn: (line) => warnings.push(line),
    });
    await session.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^WARNING: --insecure-accept-host-key/);
    expect(warnings[0]).toContain(fingerprint);
  });

  it("fails authentication with AuthFailed naming the user, the keys and the agent", async () => {
    const stranger = join(sshd.dir, "stranger_key");
    keygen(stranger);
    const error = await refusal(targetFor(sshd, { identityFiles: [stranger] }));
    expect(error).toMatchObject({ name: "AuthFailed" });
    expect(error.hint).toContain("user root");
    expect(error.hint).toContain(stranger);
    expect(error.hint).toContain("no agent");
  });

  it("skips a passphrase-protected key and says to load it in the agent", async () => {
    const locked = join(sshd.dir, "locked_key");
    keygen(locked, "a passphrase");
    const error = await refusal(targetFor(sshd, { identityFiles: [locked] }));
    expect(error).toMatchObject({ name: "AuthFailed" });
    expect(error.hint).toContain(`ssh-add ${locked}`);
  });

  it("reports a closed port as NodeUnreachable with host and port", async () => {
    const closed = await startSshd();
    const target = targetFor(closed);
    await closed.stop();
    await expect(connectNode(target)).rejects.toMatchObject({
      name: "NodeUnreachable",
      message: expect.stringMatching(new RegExp(`127\\.0\\.0\\.1:${target.port}.*connection refused`)),
    });
  });
});
