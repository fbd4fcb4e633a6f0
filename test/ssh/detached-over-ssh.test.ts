// A detached capture driven the way podcap drives it: the launcher, ls and stop as argv quoted
// through a real sshd and the login shell, against a target in a network namespace made here.
// The capture must keep running after the session that started it is closed.

import { rmSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseCaptureListing } from "../../src/capture/capture-listing.js";
import { newDetachedCaptureId } from "../../src/capture/detached-capture-id.js";
import { DEFAULT_ROTATION, detachedTcpdumpArgv } from "../../src/capture/detached-tcpdump-args.js";
import { DETACH_TAG, detachedWrapperArgv } from "../../src/capture/detached-wrapper.js";
import { listCapturesArgv, stopCaptureArgv } from "../../src/capture/node-captures.js";
import { connectNode } from "../../src/ssh/connect-node.js";
import { processesOf } from "../wrapper/detached-harness.js";
import { cleanUp, onCleanUp, sleep, startTarget } from "../wrapper/wrapper-harness.js";
import { canRunSshd, type Sshd, startSshd, targetFor } from "./sshd-fixture.js";

describe.skipIf(!canRunSshd)("a detached capture over SSH", () => {
  let sshd: Sshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });
  afterEach(cleanUp);

  it("starts in one exec, outlives its session, is listed and stopped from another", async () => {
    const target = await startTarget();
    const id = newDetachedCaptureId(`pctest-${process.pid}-ssh`);
    onCleanUp(() => rmSync(`/var/lib/podcap/captures/${id}`, { recursive: true, force: true }));
    const argv = detachedWrapperArgv({
      captureId: id,
      targetPid: target.pid,
      maxSeconds: 60,
      keepFiles: 3,
      filter: "icmp and not host 10.0.0.1",
      tcpdumpArgv: detachedTcpdumpArgv(id, { iface: "lo" }, DEFAULT_ROTATION),
      meta: { namespace: "demo", pod: 'it\'s "quoted" $(x)', node: "pctest" },
    });
    const first = await connectNode(targetFor(sshd));
    const startedAt = Date.now();
    const started = await first.exec(argv, { sudo: true, timeoutMs: 20_000 });
    const tookMs = Date.now() - startedAt;
    await first.close();
    expect(tookMs).toBeLessThan(5000);
    expect(started.stderr.toString()).toBe("");
    expect(started.stdout.toString()).toMatch(new RegExp(`^${DETACH_TAG} started id=${id} wrapper=\\d+\\n$`));
    await sleep(500);
    const second = await connectNode(targetFor(sshd));
    try {
      const [running] = parseCaptureListing(
        (await second.exec(listCapturesArgv(id))).stdout.toString(),
        `pctest-${process.pid}-ssh`,
      );
      expect(running).toMatchObject({ id, state: "running", pod: 'it\'s "quoted" $(x)' });
      expect(running?.record.filter).toBeUndefined();
      const stop = await second.exec(stopCaptureArgv(id, true));
      expect(stop.stdout.toString()).toBe(`stopped ${id} stopped-by-user\ndeleted ${id}\n`);
      expect((await second.exec(listCapturesArgv(id))).stdout.toString()).toBe("");
    } finally {
      await second.close();
    }
    expect(processesOf(id)).toEqual([]);
  });
});
