// The real remote wrapper (src/capture/remote-wrapper.ts), run here as root the way a node runs
// it, against a `sleep` in a fresh network namespace, with ICMP on that namespace's lo. Each stop
// path must end tcpdump, leave a pcap tshark reads to the end, and leave nothing behind: no
// record, no process holding the wrapper's stdio, in the capture's group or in the target's netns.
// Refusals and hostile arguments: remote-wrapper-input.test.ts.

import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { expectNothingLeft, expectPings, expectStopped, listening } from "./wrapper-expect.js";
import {
  alive,
  cleanUp,
  leftovers,
  ping,
  RECORDS,
  sleep,
  startTarget,
  startWrapper,
  tcpdumpIn,
  within,
} from "./wrapper-harness.js";

const scratch = mkdtempSync("/tmp/pctest-wrapper-");
afterEach(cleanUp);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A stand-in tcpdump: compiles any filter, says it listens, after `setup` (its answer to SIGINT). */
function fakeTcpdump(name: string, setup: string): string {
  const path = `${scratch}/${name}/tcpdump`;
  mkdirSync(`${scratch}/${name}`);
  const script = [
    "#!/bin/sh",
    'for arg; do [ "$arg" = -d ] && exit 0; done',
    setup,
    "echo 'tcpdump: listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes' >&2",
    "while :; do sleep 1; done",
  ];
  writeFileSync(path, `${script.join("\n")}\n`, { mode: 0o755 });
  return path;
}

describe("remote wrapper stop paths", () => {
  it("stdin closed (EOF): stops, keeps the packets from just before the stop, leaves nothing", async () => {
    const { target, wrapper, record, group } = await listening();
    expect(record).toMatchObject({ wrapper: String(wrapper.child.pid), target: String(target.pid) });
    expect(statSync(`${RECORDS}/${wrapper.id}`).mode & 0o777).toBe(0o700);
    await ping(target.namespace, 10);
    const closedAt = Date.now();
    wrapper.closeStdin();
    const exit = await wrapper.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - closedAt).toBeLessThan(2500);
    expectStopped(wrapper, "stdin-closed", 0);
    expect(wrapper.stderr()).toMatch(/^20 packets captured$/m);
    expectPings(wrapper, 10);
    expectNothingLeft(wrapper, target, group);
  });

  it("the connection cut (stdin, stdout and stderr closed at once): cleans up all the same", async () => {
    const { target, wrapper, group } = await listening();
    await ping(target.namespace, 2);
    const cutAt = Date.now();
    wrapper.child.stdout?.destroy();
    wrapper.child.stderr?.destroy();
    wrapper.closeStdin();
    const exit = await wrapper.exited;
    expect(exit.at - cutAt).toBeLessThan(2500);
    expectNothingLeft(wrapper, target, group);
  });

  it("heartbeats stop while stdin stays open (a partition): stops after the silence", async () => {
    const { target, wrapper, group } = await listening({ silenceSeconds: 2 });
    await ping(target.namespace, 3);
    wrapper.stopHeartbeat();
    const exit = await wrapper.exited;
    expect(wrapper.child.stdin?.writableEnded).toBe(false);
    const silentFor = exit.at - wrapper.lastBeatAt;
    // A whole nap without a heartbeat: one to two silences after the last, then the 1.2 s flush.
    expect(silentFor).toBeGreaterThanOrEqual(1900);
    expect(silentFor).toBeLessThan(2 * 2000 + 1200 + 800);
    expectStopped(wrapper, "heartbeat-lost", 0);
    expectPings(wrapper, 3);
    expectNothingLeft(wrapper, target, group);
  });

  it("the target process ends (pod deleted): stops at the next heartbeat", async () => {
    const { target, wrapper, group } = await listening();
    await ping(target.namespace, 3);
    const killedAt = Date.now();
    target.kill();
    const exit = await wrapper.exited;
    expect(exit.at - killedAt).toBeLessThan(3500);
    expectStopped(wrapper, "target-gone", 0);
    expectPings(wrapper, 3);
    expectNothingLeft(wrapper, target, group);
  });

  it("the hard limit ends a capture of everything on its own, with timeout's 124", async () => {
    const { target, wrapper, group } = await listening({ maxSeconds: 2, filter: "" });
    await ping(target.namespace, 3);
    const exit = await wrapper.exited;
    expect(exit.code).toBe(124);
    expect(exit.at - wrapper.startedAt).toBeGreaterThanOrEqual(2000);
    expect(exit.at - wrapper.startedAt).toBeLessThan(2000 + 1000 + 1000);
    expectStopped(wrapper, "tcpdump-exited", 124);
    expectPings(wrapper, 3);
    expectNothingLeft(wrapper, target, group);
  });
});

describe("remote wrapper when tcpdump fails as it starts", () => {
  it("passes tcpdump's status and message on, says why, and leaves nothing", async () => {
    const path = `${scratch}/fails/tcpdump`;
    mkdirSync(`${scratch}/fails`);
    const script = [
      'for arg; do [ "$arg" = -d ] && exit 0; done',
      "echo 'tcpdump: lo: That device is not up' >&2",
      "exit 1",
    ];
    writeFileSync(path, `#!/bin/sh\n${script.join("\n")}\n`, { mode: 0o755 });
    const target = await startTarget();
    const wrapper = startWrapper({ targetPid: target.pid, tcpdumpPath: path });
    const exit = await wrapper.exited;
    expect(exit.code).toBe(1);
    expect(wrapper.stderr()).toContain("tcpdump: lo: That device is not up\n");
    expectStopped(wrapper, "tcpdump-exited", 1);
    expectNothingLeft(wrapper, target);
  });
});

describe("remote wrapper when tcpdump will not stop", () => {
  async function stopped(tcpdumpPath: string) {
    const { target, wrapper, group } = await listening({ tcpdumpPath });
    const closedAt = Date.now();
    wrapper.closeStdin();
    const exit = await wrapper.exited;
    expectNothingLeft(wrapper, target, group);
    return { wrapper, tookMs: exit.at - closedAt };
  }

  it("a tcpdump deaf to SIGINT (stuck flushing into a full pipe) is killed 5 s later", async () => {
    const { wrapper, tookMs } = await stopped(fakeTcpdump("deaf", "trap '' INT"));
    expect(tookMs).toBeGreaterThanOrEqual(1200 + 5000);
    expect(tookMs).toBeLessThan(1200 + 5000 + 1500);
    expectStopped(wrapper, "stdin-closed", 137);
  });

  it("a child tcpdump leaves in its process group (a -z command) is killed with the group", async () => {
    // Started in the background by sh, the straggler ignores SIGINT, as POSIX says.
    const { wrapper, tookMs } = await stopped(fakeTcpdump("straggler", "sleep 300 & trap 'exit 0' INT"));
    expect(tookMs).toBeLessThan(1200 + 1500);
    expectStopped(wrapper, "stdin-closed", 0);
  });
});

describe("remote wrapper killed with SIGKILL (what the node keeps until something else ends it)", () => {
  async function killedWrapper(maxSeconds: number) {
    const capture = await listening({ maxSeconds });
    const tcpdump = tcpdumpIn(capture.target) as number;
    expect(alive(tcpdump)).toBe(true);
    capture.wrapper.child.kill("SIGKILL");
    await capture.wrapper.exited;
    await sleep(300);
    // Left behind: the record (for `podcap` to sweep) and tcpdump under `timeout` in their own
    // session. The heartbeat reader is gone: stdin closed with the wrapper, as sshd closes it.
    const left = leftovers(capture.wrapper, capture.target, capture.group);
    expect(left.map((line) => line.split(" ")[line.startsWith("record ") ? 0 : 1]).sort()).toEqual([
      "record",
      "tcpdump",
      "timeout",
    ]);
    expect(alive(tcpdump)).toBe(true);
    return { ...capture, tcpdump };
  }

  const onlyTheRecord = ({ wrapper, target, group }: Awaited<ReturnType<typeof killedWrapper>>) =>
    expect(leftovers(wrapper, target, group)).toEqual([`record ${RECORDS}/${wrapper.id}`]);

  it("tcpdump ends at its next packet once the pcap's reader goes (the channel closed)", async () => {
    const killed = await killedWrapper(15);
    killed.wrapper.child.stdout?.destroy();
    await ping(killed.target.namespace, 2);
    expect(await within(2500, () => !alive(killed.tcpdump))).toBe(true);
    expect(
      await within(3000, () => leftovers(killed.wrapper, killed.target, killed.group).length === 1),
    ).toBe(true);
    onlyTheRecord(killed);
  });

  it("with the reader still there and no traffic, the hard limit ends it", async () => {
    const killed = await killedWrapper(3);
    await sleep(1000);
    expect(alive(killed.tcpdump)).toBe(true);
    const limit = killed.wrapper.startedAt + 3000;
    expect(await within(limit + 1500 - Date.now(), () => !alive(killed.tcpdump))).toBe(true);
    expect(Date.now()).toBeGreaterThanOrEqual(limit);
    expect(
      await within(1000, () => leftovers(killed.wrapper, killed.target, killed.group).length === 1),
    ).toBe(true);
    onlyTheRecord(killed);
  });
});
