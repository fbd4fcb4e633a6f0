// NodeSession against a real sshd: exec keeps stdout and stderr apart with exit codes, argv
// survives the remote shell untouched, sudo is a real prefix, and close/onClose behave.

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { connectNode } from "../../src/ssh/connect-node.js";
import { SessionPool } from "../../src/ssh/session-pool.js";
import { canRunSshd, type Sshd, startSshd, targetFor } from "./sshd-fixture.js";

describe.skipIf(!canRunSshd)("NodeSession on a real sshd", () => {
  let sshd: Sshd;
  let scratch: string;
  beforeAll(async () => {
    sshd = await startSshd();
    scratch = mkdtempSync(join(tmpdir(), "podcap-quote-"));
  });
  afterAll(async () => {
    await sshd?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("keeps stdout and stderr apart and returns the exit code", async () => {
    const session = await connectNode(targetFor(sshd));
    try {
      const result = await session.exec(["sh", "-c", "echo out; echo err >&2; exit 3"]);
      expect(result.stdout.toString()).toBe("out\n");
      expect(result.stderr.toString()).toBe("err\n");
      expect(result.code).toBe(3);
      expect(result.signal).toBeNull();
      const input = await session.exec(["cat"], { stdin: "fed through stdin" });
      expect(input.stdout.toString()).toBe("fed through stdin");
      const killed = await session.exec(["sh", "-c", "kill -TERM $$"]);
      expect(killed.code).toBeNull();
      expect(killed.signal).toBe("SIGTERM");
    } finally {
      await session.close();
    }
  });

  it("passes hostile arguments through the remote shell unchanged and runs none of them", async () => {
    const marker = join(scratch, "pwned");
    const hostile = [
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      `; touch ${marker}`,
      `&& touch ${marker} ||`,
      `| touch ${marker}`,
      'it\'s "quoted"',
      "'single' 'quotes'",
      "line one\nline two",
      "$HOME ~ * ?",
      "\\back\\slash",
      "",
      "-n",
    ];
    const session = await connectNode(targetFor(sshd));
    try {
      const result = await session.exec(["printf", "%s\\0", ...hostile]);
      expect(result.code).toBe(0);
      expect(result.stdout.toString().split("\0").slice(0, -1)).toEqual(hostile);
      expect(existsSync(marker)).toBe(false);
    } finally {
      await session.close();
    }
  });

  it("prefixes sudo -n only when the command and the target both ask for it", async () => {
    const session = await connectNode(targetFor(sshd, { sudo: true }));
    const plain = await connectNode(targetFor(sshd, { sudo: false }));
    try {
      // sudo sets SUDO_USER: proof that the prefix ran remotely, without a second user.
      const probe = ["sh", "-c", 'test -n "$SUDO_USER" && echo "$SUDO_USER" || echo none'];
      expect((await session.exec(probe, { sudo: true })).stdout.toString()).toBe("root\n");
      expect((await session.exec(probe)).stdout.toString()).toBe("none\n");
      expect((await plain.exec(probe, { sudo: true })).stdout.toString()).toBe("none\n");
    } finally {
      await session.close();
      await plain.close();
    }
  });

  it("times a command out, streams a long one through spawn, and opens sftp", async () => {
    const session = await connectNode(targetFor(sshd));
    try {
      await expect(session.exec(["sleep", "30"], { timeoutMs: 300 })).rejects.toMatchObject({
        name: "RemoteCommandTimedOut",
      });
      const channel = await session.spawn(["sh", "-c", "while read line; do echo got:$line; done"]);
      const output: Buffer[] = [];
      channel.on("data", (chunk: Buffer) => output.push(chunk));
      const closed = new Promise<number>((resolve) => channel.on("close", resolve));
      channel.write("a\nb\n");
      channel.end();
      expect(await closed).toBe(0);
      expect(Buffer.concat(output).toString()).toBe("got:a\ngot:b\n");
      const sftp = await session.sftp();
      const names = await new Promise<string[]>((resolve, reject) =>
        sftp.readdir(sshd.dir, (error, list) =>
          error ? reject(error) : resolve(list.map((item) => item.filename)),
        ),
      );
      expect(names).toContain("sshd_config");
    } finally {
      await session.close();
    }
  });

  it("notifies onClose: no reason after close(), NodeUnreachable when the server goes away", async () => {
    const closedByUs = await connectNode(targetFor(sshd));
    const reasons: unknown[] = [];
    closedByUs.onClose((reason) => reasons.push(reason));
    await closedByUs.close();
    expect(reasons).toEqual([undefined]);
    expect(closedByUs.isClosed).toBe(true);

    const dropped = await connectNode(targetFor(sshd));
    const lost = new Promise((resolve) => dropped.onClose(resolve));
    // The server side ends the connection: kill this session's own sshd child process.
    await dropped.exec(["sh", "-c", "kill -TERM $PPID"]).catch(() => undefined);
    await expect(lost).resolves.toMatchObject({ name: "NodeUnreachable" });
    await expect(dropped.exec(["true"])).rejects.toMatchObject({ name: "NodeUnreachable" });
  });

  it("closes promptly even when the server stopped answering", async () => {
    const session = await connectNode(targetFor(sshd));
    // The shell's parent is this connection's sshd process: freezing it is a silent partition.
    const serverPid = Number((await session.exec(["sh", "-c", "echo $PPID"])).stdout.toString());
    process.kill(serverPid, "SIGSTOP");
    // Runs even if the test times out, so no frozen sshd outlives the suite.
    onTestFinished(() => {
      process.kill(serverPid, "SIGKILL");
    });
    const started = Date.now();
    await session.close();
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 10_000);

  it("SessionPool connects once per node, even for concurrent callers", async () => {
    let connects = 0;
    const pool = new SessionPool((nodeName) => {
      connects += 1;
      return connectNode(targetFor(sshd, { nodeName }));
    });
    try {
      const [a, b] = await Promise.all([pool.get("n1"), pool.get("n1")]);
      expect(a).toBe(b);
      expect(await pool.get("n1")).toBe(a);
      await pool.get("n2");
      expect(connects).toBe(2);
      await a.close();
      const again = await pool.get("n1");
      expect(again).not.toBe(a);
      expect(connects).toBe(3);
    } finally {
      await pool.closeAll();
    }
  });
});
