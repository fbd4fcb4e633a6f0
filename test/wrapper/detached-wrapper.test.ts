// The real detached wrapper (src/capture/detached-wrapper.ts), run here as root the way one exec
// on a node runs it, against a `sleep` in a fresh network namespace: it returns at once and keeps
// capturing on its own, rotates within files x size, notices the target going, stops on SIGTERM
// without deleting anything, and leaves no process behind.

import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { rotateMegabytes } from "../../src/capture/detached-tcpdump-args.js";
import { DetachedExit } from "../../src/capture/detached-wrapper.js";
import { expectReadToEnd, tsharkRead } from "../unit/pcap-tools.js";
import { launch, pcapFiles, processesOf, record, totalBytes } from "./detached-harness.js";
import { cleanUp, processes, sleep, startTarget, type Target, within } from "./wrapper-harness.js";

afterEach(cleanUp);

/** `count` echo requests of `size` bytes as fast as replies come (busybox ping -A): a flood. */
function flood(target: Target, count: number, size = 1000): void {
  execFileSync("ip", [
    "netns",
    "exec",
    target.namespace,
    "busybox",
    "ping",
    "-q",
    "-A",
    "-s",
    String(size),
    "-c",
    String(count),
    "127.0.0.1",
  ]);
}

const stateOf = (dir: string) => record(dir).state;
/** One echo packet of 1000 data bytes in the pcap: 16 + 14 + 20 + 8 + 1000. */
const PACKET = 1058;

/** The most the capture's files took on disk, sampled every 5 ms until stop(). */
function sampleDisk(dir: string) {
  const most = { bytes: 0, files: 0, stop: () => clearInterval(timer) };
  const timer = setInterval(() => {
    const files = pcapFiles(dir);
    most.files = Math.max(most.files, files.length);
    most.bytes = Math.max(
      most.bytes,
      files.reduce((sum, file) => sum + file.size, 0),
    );
  }, 5);
  return most;
}
/** Nothing of the capture runs, and nothing but the target runs in its netns. */
const expectNothingRunning = (id: string, target: Target) => {
  expect(processesOf(id).map((p) => `${p.pid} ${p.args.slice(0, 80)}`)).toEqual([]);
  const inNetns = processes().filter(
    (p) => p.netns === target.netns && p.pid !== target.pid && p.state !== "Z",
  );
  expect(inNetns.map((p) => p.comm)).toEqual([]);
};

describe("detached wrapper", () => {
  it("returns at once, records the capture as running, and keeps capturing after the exec ended", async () => {
    const target = await startTarget();
    const started = await launch(target, { viaShell: true });
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(new RegExp(`^podcap-detach: started id=${started.id} wrapper=\\d+\\n$`));
    expect(started.tookMs).toBeLessThan(5000);
    expect(statSync(started.dir).mode & 0o777).toBe(0o700);
    expect(await within(3000, () => stateOf(started.dir) === "running")).toBe(true);
    const fields = record(started.dir);
    expect(fields).toMatchObject({
      id: started.id,
      target: String(target.pid),
      netns: target.netns,
      keep: "3",
      limit: "60s",
      namespace: "demo",
      pod: "web-1",
      container: "app",
      node: "pctest",
    });
    // The launcher's pipes are closed (execFile returned); the monitor holds none of them.
    const monitor = processes().find((p) => p.pid === Number(fields.wrapper));
    expect(monitor?.stdio[0]).toBe("/dev/null");
    flood(target, 20, 100);
    await sleep(1300); // the kernel hands packets to tcpdump in blocks, up to 1 s late
    const files = pcapFiles(started.dir);
    expect(files).toHaveLength(1);
    expect(files[0]?.mode).toBe(0o600);
    const read = tsharkRead(readFileSync(`${started.dir}/${files[0]?.name}`));
    expectReadToEnd(read);
    expect(read.rows).toHaveLength(40);
  });

  it("rotates by size into --keep files of -C MB, back within keep x (size + a packet) after each rotation", async () => {
    const target = await startTarget();
    const started = await launch(target, { rotation: { rotateBytes: 1_000_000, keepFiles: 3 } });
    expect(started.code).toBe(0);
    const most = sampleDisk(started.dir);
    // 6 bursts of 2 x 1000 packets of 1042 bytes (+16 of pcap header): about 12.7 MB, 12 rotations,
    // each burst in a few ms, then the second within which pruning catches up.
    const bound = 3 * (1_000_000 + PACKET);
    const caughtUp: boolean[] = [];
    for (let burst = 0; burst < 6; burst++) {
      flood(target, 1000);
      // A second on an idle node; this test machine runs other suites at the same time.
      caughtUp.push(await within(3000, () => totalBytes(started.dir) <= bound));
    }
    await sleep(1300);
    most.stop();
    const files = pcapFiles(started.dir);
    expect(files.map((f) => f.name)).toHaveLength(3);
    // The closed files passed 1,000,000 bytes by at most one packet; names are in order.
    for (const file of files.slice(0, 2)) {
      expect(file.size).toBeGreaterThan(rotateMegabytes(1_000_000) * 1_000_000);
      expect(file.size).toBeLessThanOrEqual(1_000_000 + PACKET);
    }
    expect(Number(files[2]?.name.split(".pcap")[1])).toBeGreaterThanOrEqual(10);
    for (const file of files) expectReadToEnd(tsharkRead(readFileSync(`${started.dir}/${file.name}`)));
    // The transient peak (a new file before the hook has pruned) is printed, not bounded here.
    console.info(`paced: at most ${most.bytes} bytes in ${most.files} files on disk`);
    expect(caughtUp).toEqual([true, true, true, true, true, true]);
    expect(totalBytes(started.dir)).toBeLessThanOrEqual(bound);
    expect(stateOf(started.dir)).toBe("running");
  });

  it("a flood that outruns the hook is brought back to --keep files within a second", async () => {
    const target = await startTarget();
    const started = await launch(target, { rotation: { rotateBytes: 1_000_000, keepFiles: 3 } });
    const most = sampleDisk(started.dir);
    flood(target, 6000); // 12.7 MB in a few hundred ms
    expect(await within(1500, () => pcapFiles(started.dir).length === 3)).toBe(true);
    most.stop();
    console.info(`flood: at most ${most.bytes} bytes in ${most.files} files on disk`);
    expect(totalBytes(started.dir)).toBeLessThanOrEqual(3 * (1_000_000 + PACKET));
  });

  it("rotates by time into UTC-stamped files, still keeping --keep", async () => {
    const target = await startTarget();
    const started = await launch(target, { rotation: { rotateSeconds: 1, keepFiles: 2 } });
    for (let i = 0; i < 4; i++) {
      flood(target, 5, 100);
      await sleep(1100);
    }
    flood(target, 5, 100);
    await sleep(1200);
    const files = pcapFiles(started.dir);
    expect(files).toHaveLength(2);
    for (const file of files) expect(file.name).toMatch(/^\d{8}T\d{6}Z\.pcap$/);
    const stamp = new Date().toISOString().slice(0, 10).replaceAll("-", "");
    expect(files[0]?.name.startsWith(stamp)).toBe(true);
  });

  it("the target process ends (pod deleted): stops with reason pod-gone and keeps the files", async () => {
    const target = await startTarget();
    const started = await launch(target);
    flood(target, 10, 100);
    await sleep(200);
    const killedAt = Date.now();
    target.kill();
    expect(await within(4500, () => stateOf(started.dir) === "stopped")).toBe(true);
    expect(Date.now() - killedAt).toBeLessThan(4500);
    expect(record(started.dir)).toMatchObject({ reason: "pod-gone", status: "0" });
    expect(pcapFiles(started.dir)).toHaveLength(1);
    expect(await within(1000, () => processesOf(started.id).length === 0)).toBe(true);
    expectNothingRunning(started.id, target);
  });

  it("SIGTERM to the wrapper (podcap stop) stops tcpdump at once, removes nothing, leaves nothing running", async () => {
    const target = await startTarget();
    const started = await launch(target);
    flood(target, 10, 100);
    await within(2000, () => stateOf(started.dir) === "running");
    const before = pcapFiles(started.dir);
    const stoppedAt = Date.now();
    process.kill(Number(record(started.dir).wrapper), "SIGTERM");
    // 1.2 s for the kernel's last block of packets, then tcpdump's own exit (slower on a busy machine).
    expect(await within(4000, () => stateOf(started.dir) === "stopped")).toBe(true);
    expect(Date.now() - stoppedAt).toBeLessThan(4000);
    expect(record(started.dir)).toMatchObject({ reason: "stopped-by-user", status: "0" });
    expect(pcapFiles(started.dir).map((f) => f.name)).toEqual(before.map((f) => f.name));
    expect(readFileSync(`${started.dir}/tcpdump.log`, "utf8")).toMatch(/^20 packets captured$/m);
    expect(await within(1000, () => processesOf(started.id).length === 0)).toBe(true);
    expectNothingRunning(started.id, target);
  });

  it("the hard limit ends it with reason limit", async () => {
    const target = await startTarget();
    const started = await launch(target, { maxSeconds: 2 });
    expect(await within(4500, () => stateOf(started.dir) === "stopped")).toBe(true);
    expect(record(started.dir)).toMatchObject({ reason: "limit", status: "124" });
    expectNothingRunning(started.id, target);
  });

  it("refuses a target that is gone or a bad filter, and leaves no directory", async () => {
    const target = await startTarget();
    const gone = await launch(target, { targetPid: 999_999 });
    expect(gone.code).toBe(DetachedExit.targetGone);
    expect(gone.stderr).toContain("podcap-detach: target-gone 999999");
    expect(() => statSync(gone.dir)).toThrow();
    const bad = await launch(target, { filter: "tcp port" });
    expect(bad.code).toBe(DetachedExit.validationFailed);
    expect(bad.stderr).toContain("podcap-detach: validation-failed");
    expect(() => statSync(bad.dir)).toThrow();
    expectNothingRunning(bad.id, target);
  });
});
