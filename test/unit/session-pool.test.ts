// The pool's bookkeeping with stand-in sessions: sharing, retry after a failed connect, and a
// new connect after a session closed.

import { describe, expect, it } from "vitest";
import type { NodeSession } from "../../src/ssh/node-session.js";
import { SessionPool } from "../../src/ssh/session-pool.js";

function fakeSession(name: string) {
  const listeners: (() => void)[] = [];
  const session = {
    name,
    isClosed: false,
    onClose(listener: () => void) {
      listeners.push(listener);
      return () => undefined;
    },
    async close() {
      session.isClosed = true;
      for (const listener of listeners) listener();
    },
  };
  return session;
}

describe("SessionPool", () => {
  it("shares one pending connect, retries after a failure, reconnects after a close", async () => {
    const attempts: string[] = [];
    let failNext = true;
    const pool = new SessionPool(async (nodeName) => {
      attempts.push(nodeName);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (failNext) {
        failNext = false;
        throw new Error("unreachable");
      }
      return fakeSession(nodeName) as unknown as NodeSession;
    });
    const failed = await Promise.allSettled([pool.get("a"), pool.get("a")]);
    expect(failed.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect(attempts).toEqual(["a"]);

    const [first, second] = await Promise.all([pool.get("a"), pool.get("a")]);
    expect(first).toBe(second);
    expect(attempts).toEqual(["a", "a"]);

    await first.close();
    const third = await pool.get("a");
    expect(third).not.toBe(first);
    expect(attempts).toEqual(["a", "a", "a"]);

    await pool.closeAll();
    expect(third.isClosed).toBe(true);
  });
});
