// The cgroup scan's script run as root on this machine's own cgroups, the way a node runs it: a
// cgroup named after a container ID, with a process in a netns of its own (the container) and one
// in the host's (like CRI-O's conmon beside it), at the depths of the layouts it knows and one
// deeper, where only its find reaches.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cgroupScanStrategy, parseCgroupScan } from "../../src/runtime/cgroup-scan-strategy.js";
import { cleanUp, onCleanUp, pathWithout, startTarget } from "./wrapper-harness.js";

afterEach(cleanUp);

/** The hierarchy the script looks in first: cgroup v2's root, else v1's unified or pids. */
const ROOT = existsSync("/sys/fs/cgroup/cgroup.controllers")
  ? "/sys/fs/cgroup"
  : ["/sys/fs/cgroup/unified", "/sys/fs/cgroup/pids"].find((dir) => existsSync(`${dir}/cgroup.procs`));

let serial = 0;
const containerId = () =>
  `${process.pid.toString(16)}${(++serial).toString(16)}`.padStart(8, "0").padEnd(64, "c");

/** Makes ROOT/<path> (its last part names the ID) and moves the pids into it, undone after. */
function cgroupWith(path: string, pids: number[]): string {
  const dir = `${ROOT}/${path}`;
  mkdirSync(dir, { recursive: true });
  for (const pid of pids) writeFileSync(`${dir}/cgroup.procs`, `${pid}\n`);
  onCleanUp(() => {
    for (const pid of readFileSync(`${dir}/cgroup.procs`, "utf8").split("\n").filter(Boolean))
      writeFileSync(`${ROOT}/cgroup.procs`, `${pid}\n`);
    for (let at = dir; at !== ROOT; at = dirname(at)) rmdirSync(at);
  });
  return dir;
}

function scan(ids: string[], path = process.env.PATH) {
  const [command, ...args] = cgroupScanStrategy.inspectManyArgv?.(ids, {}, "docker") ?? [];
  const run = spawnSync(command as string, args, { encoding: "utf8", env: { PATH: path } });
  expect(run.status).toBe(0);
  return run.stdout;
}

describe.skipIf(ROOT === undefined)("the cgroup scan on real cgroups", () => {
  const sleeper = () => {
    const child = spawnSync("sh", ["-c", "sleep 300 >/dev/null 2>&1 & echo $!"], { encoding: "utf8" });
    const pid = Number(child.stdout.trim());
    onCleanUp(() => process.kill(pid, "SIGKILL"));
    return pid;
  };

  // The layouts the globs know are found with no process started: not even find.
  const noFind = true;
  it.each([
    ["docker's cgroupfs layout", (id: string) => `podcap-test-${serial}/${id}`, noFind],
    [
      "a pod's systemd scope",
      (id: string) => `pctest${serial}.slice/pods.slice/pod-x.slice/cri-containerd-${id}.scope`,
      noFind,
    ],
    [
      "crun's nested container, found by find",
      (id: string) => `pctest${serial}.slice/a/b/c/crio-${id}.scope/container`,
      false,
    ],
  ])("%s: the process in a netns of its own is the container's", async (_layout, pathOf, withoutFind) => {
    const hostPid = sleeper();
    const target = await startTarget();
    const id = containerId();
    const dir = cgroupWith(pathOf(id), [hostPid, target.pid]);
    const stdout = scan([id], withoutFind ? pathWithout(["find", "busybox"]) : process.env.PATH);
    expect(parseCgroupScan(stdout)).toEqual({
      hostNetns: "host",
      candidates: [
        { pid: hostPid, netns: "host", cgroup: dir },
        { pid: target.pid, netns: "own", cgroup: dir },
      ],
    });
    expect(cgroupScanStrategy.parsePid(stdout, id)).toBe(target.pid);
  });

  it("answers for several containers at once, each found by its own ID, and not for one it lacks", async () => {
    const [one, two] = [await startTarget(), await startTarget()];
    const [idOne, idTwo, missing] = [containerId(), containerId(), containerId()];
    cgroupWith(`podcap-test-${serial}/${idOne}`, [one.pid]);
    cgroupWith(`podcap-test-${serial}b/${idTwo}`, [two.pid]);
    const stdout = scan([idOne, missing, idTwo]);
    expect(cgroupScanStrategy.parsePid(stdout, idOne)).toBe(one.pid);
    expect(cgroupScanStrategy.parsePid(stdout, idTwo)).toBe(two.pid);
    expect(() => cgroupScanStrategy.parsePid(stdout, missing)).toThrow(/does not know container/);
  });
});
