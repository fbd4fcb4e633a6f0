// A node reached only through a jump host, both real sshds on 127.0.0.1: the session runs
// commands on the node, and each hop's host key is checked on its own.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectNode } from "../../src/ssh/connect-node.js";
import { canRunSshd, hopFor, type Sshd, startSshd, targetFor } from "./sshd-fixture.js";

describe.skipIf(!canRunSshd)("jump hosts on real sshds", () => {
  let jump: Sshd;
  let node: Sshd;
  beforeAll(async () => {
    [jump, node] = await Promise.all([startSshd(), startSshd()]);
  });
  afterAll(async () => {
    await Promise.all([jump?.stop(), node?.stop()]);
  });

  it("runs commands on the node through the jump host and closes both hops", async () => {
    const session = await connectNode(targetFor(node, { jump: [hopFor(jump)] }));
    // The node's sshd sees the connection coming from the jump host's forward, not from us.
    const result = await session.exec(["sh", "-c", 'echo "$SSH_CONNECTION"']);
    expect(result.stdout.toString()).toMatch(new RegExp(` 127\\.0\\.0\\.1 ${node.port}\\n$`));
    const closed = new Promise((resolve) => session.onClose(resolve));
    await session.close();
    await expect(closed).resolves.toBeUndefined();
  });

  it("checks the jump host's key and names that hop when it is unknown", async () => {
    const empty = join(jump.dir, "empty_known_hosts");
    writeFileSync(empty, "");
    await expect(
      connectNode(targetFor(node, { jump: [hopFor(jump, { knownHostsFiles: [empty] })] })),
    ).rejects.toMatchObject({ name: "HostKeyUnknown", message: expect.stringContaining("jump host 1/1") });
  });

  it("checks the node's key behind the jump host too", async () => {
    // Trusting the jump host's key for the node's name must not let the node in.
    const wrong = join(node.dir, "wrong_known_hosts");
    writeFileSync(wrong, `[127.0.0.1]:${node.port} ${jump.hostPublicKey}\n`);
    await expect(
      connectNode(targetFor(node, { knownHostsFiles: [wrong], jump: [hopFor(jump)] })),
    ).rejects.toMatchObject({ name: "HostKeyMismatch", message: expect.stringContaining("node test-node") });
  });

  it("reports a next hop the jump host cannot reach as NodeUnreachable via that jump host", async () => {
    const gone = await startSshd();
    const target = targetFor(gone, { jump: [hopFor(jump)] });
    await gone.stop();
    await expect(connectNode(target)).rejects.toMatchObject({
      name: "NodeUnreachable",
      message: expect.stringContaining(`jump host 1/1 (root@127.0.0.1:${jump.port})`),
    });
  });
});
