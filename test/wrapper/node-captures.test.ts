// The node-side scripts of node-captures.ts (ls, stop, clean), run here as root against real
// detached captures: what ls says of each state, that stop keeps the files unless asked, and
// that clean ends what a killed wrapper left and deletes only what it should.

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { parseCaptureListing, parseSweep } from "../../src/capture/capture-listing.js";
import { parseCaptureId } from "../../src/capture/detached-capture-id.js";
import { cleanCapturesArgv, listCapturesArgv, stopCaptureArgv } from "../../src/capture/node-captures.js";
import { launch, processesOf, record } from "./detached-harness.js";
import { cleanUp, sleep, startTarget, within } from "./wrapper-harness.js";

afterEach(cleanUp);

const run = (argv: string[]) => {
  try {
    return { code: 0, out: execFileSync(argv[0] as string, argv.slice(1), { encoding: "utf8" }) };
  } catch (error) {
    const failed = error as { status: number; stdout: string };
    return { code: failed.status, out: failed.stdout };
  }
};
const ls = (id: string) => parseCaptureListing(run(listCapturesArgv(id)).out, parseCaptureId(id).node)[0];

describe("node-side capture operations", () => {
  it("ls shows a running capture with its files, then stopped after stop; stop keeps the files", async () => {
    const target = await startTarget();
    const started = await launch(target);
    await within(2000, () => record(started.dir).state === "running");
    const running = ls(started.id);
    expect(running).toMatchObject({ id: started.id, state: "running", namespace: "demo", pod: "web-1" });
    expect(running?.files).toHaveLength(1);
    expect(running?.current).toBe(running?.files[0]?.name);
    expect(running?.started?.getTime()).toBeGreaterThan(Date.now() - 10_000);
    const stop = run(stopCaptureArgv(started.id, false));
    expect(stop.code).toBe(0);
    expect(stop.out).toBe(`stopped ${started.id} stopped-by-user\n`);
    const stopped = ls(started.id);
    expect(stopped).toMatchObject({ state: "stopped", reason: "stopped-by-user" });
    expect(stopped?.current).toBeUndefined();
    expect(stopped?.files).toHaveLength(1);
    expect(processesOf(started.id)).toEqual([]);
  });

  it("stop --delete leaves nothing; an unknown ID is not found", async () => {
    const target = await startTarget();
    const started = await launch(target);
    const stop = run(stopCaptureArgv(started.id, true));
    expect(parseSweep(stop.out).deleted).toEqual([started.id]);
    expect(existsSync(started.dir)).toBe(false);
    expect(processesOf(started.id)).toEqual([]);
    expect(run(stopCaptureArgv(started.id, false)).code).toBe(78);
  });

  it("ls says pod-gone once the target's namespace is gone", async () => {
    const target = await startTarget();
    const started = await launch(target);
    target.kill();
    await within(3500, () => record(started.dir).state === "stopped");
    expect(ls(started.id)).toMatchObject({ state: "pod-gone", reason: "pod-gone" });
  });

  it("a wrapper killed with SIGKILL: ls says wrapper-gone, clean ends its tcpdump and keeps the files a day, --all deletes", async () => {
    const target = await startTarget();
    const started = await launch(target);
    await within(2000, () => record(started.dir).state === "running");
    process.kill(Number(record(started.dir).wrapper), "SIGKILL");
    await sleep(200);
    expect(
      processesOf(started.id)
        .map((p) => p.comm)
        .sort(),
    ).toEqual(["tcpdump", "timeout"]);
    expect(ls(started.id)).toMatchObject({ state: "wrapper-gone" });
    const sweep = parseSweep(run(cleanCapturesArgv(86_400, false)).out);
    expect(sweep.marked).toContain(started.id);
    expect(sweep.kept).toContain(started.id);
    expect(processesOf(started.id)).toEqual([]);
    expect(ls(started.id)).toMatchObject({ state: "wrapper-gone", reason: "wrapper-gone" });
    expect(parseSweep(run(cleanCapturesArgv(86_400, true)).out).deleted).toContain(started.id);
    expect(existsSync(started.dir)).toBe(false);
  });

  it("clean never touches a running capture", async () => {
    const target = await startTarget();
    const started = await launch(target);
    await within(2000, () => record(started.dir).state === "running");
    expect(parseSweep(run(cleanCapturesArgv(0, true)).out).running).toContain(started.id);
    expect(ls(started.id)).toMatchObject({ state: "running" });
  });
});
