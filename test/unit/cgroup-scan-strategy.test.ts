import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AccessDenied, ContainerNotFound, RuntimeNotFound } from "../../src/errors.js";
import {
  CGROUP_SCAN_SCRIPT,
  cgroupScanStrategy,
  parseCgroupScan,
  pickCgroupPid,
} from "../../src/runtime/cgroup-scan-strategy.js";
import { quote } from "../../src/ssh/quote.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/runtime/${name}`, import.meta.url), "utf8");

const DOCKER_ID = "e8f3ccd2cbe6a1ab1700e2bec7feb52e6a01b78b344bc38fc2519fdc2d460023";
const CTR_ID = "f3dc04d3c968e302120ec028a750ba9c476ddde3b90042840d480699515e343e";
const HOST_NET_ID = "5d8ae5f5cd78d6189661a054f91c0c2d054024435219aba23c7731fef63ef02d";
const CRIO_ID = "9b2f6c1d4e8a7b3c5d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e";
const CONTAINERD_V2_ID = "4c7e1a9f0b2d3e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f";

describe("cgroupScanStrategy.inspectArgv", () => {
  it("passes the script and the ID as separate arguments, the ID never inside the script", () => {
    const argv = cgroupScanStrategy.inspectArgv(DOCKER_ID, {}, "unknown");
    expect(argv).toEqual(["sh", "-c", CGROUP_SCAN_SCRIPT, "podcap-cgroup-scan", DOCKER_ID]);
    expect(CGROUP_SCAN_SCRIPT).not.toContain(DOCKER_ID);
  });

  it("refuses an ID that would be a glob or a path", () => {
    for (const id of ["*", "../../etc", "e8f3ccd2cbe6*", ""]) {
      expect(() => cgroupScanStrategy.inspectArgv(id, {}, "docker")).toThrow(ContainerNotFound);
    }
  });

  it("is a script dash parses", () => {
    const check = spawnSync("sh", ["-n", "-c", CGROUP_SCAN_SCRIPT]);
    expect(check.status).toBe(0);
  });

  it("checks the ID again on the node, should a caller skip the builder", () => {
    // Through the same quoting the SSH exec uses, with an ID crafted to break out.
    const line = quote(["sh", "-c", CGROUP_SCAN_SCRIPT, "podcap-cgroup-scan", "*/../$(touch /tmp/x)"]);
    const run = spawnSync("sh", ["-c", line], { encoding: "utf8" });
    expect(run.stdout).toBe("error invalid-id\n");
    expect(run.status).toBe(2);
    expect(() => parseCgroupScan(run.stdout)).toThrow(/refused the container ID/);
  });
});

describe("parsing real cgroup v1 scans", () => {
  it("picks the docker container's first process", () => {
    const scan = parseCgroupScan(fixture("cgroup-scan-v1-docker.txt"));
    expect(scan.hostNetns).toBe("net:[4026531833]");
    expect(scan.candidates.map((c) => c.pid)).toEqual([4778, 15817]);
    expect(cgroupScanStrategy.parsePid(fixture("cgroup-scan-v1-docker.txt"), DOCKER_ID)).toBe(4778);
  });

  it("finds a ctr task under /k8s.io/ID", () => {
    expect(cgroupScanStrategy.parsePid(fixture("cgroup-scan-v1-containerd.txt"), CTR_ID)).toBe(5496);
  });

  it("says so when no cgroup carries the ID", () => {
    expect(() => cgroupScanStrategy.parsePid(fixture("cgroup-scan-no-match.txt"), DOCKER_ID)).toThrow(
      /the cgroup scan does not know container e8f3ccd2cbe6/,
    );
  });

  it("refuses a host-network container unless asked to accept it", () => {
    const stdout = fixture("cgroup-scan-v1-docker-host-network.txt");
    expect(() => cgroupScanStrategy.parsePid(stdout, HOST_NET_ID)).toThrow(
      /runs in the host's network namespace/,
    );
    expect(pickCgroupPid(parseCgroupScan(stdout), HOST_NET_ID, true)).toBe(15863);
  });
});

describe("parsing hand-written cgroup v2 scans", () => {
  it("skips CRI-O's conmon, which carries the ID but lives in the host namespace", () => {
    expect(cgroupScanStrategy.parsePid(fixture("cgroup-scan-v2-crio-systemd.handwritten.txt"), CRIO_ID)).toBe(
      2231,
    );
  });

  it("never picks conmon, even for a host-network pod where every namespace is the host's", () => {
    const slice = "/sys/fs/cgroup/kubepods.slice/kubepods-pod1.slice";
    const stdout = `host net:[1]\npid 10 net:[1] ${slice}/crio-conmon-${CRIO_ID}.scope\npid 20 net:[1] ${slice}/crio-${CRIO_ID}.scope\n`;
    expect(pickCgroupPid(parseCgroupScan(stdout), CRIO_ID, true)).toBe(20);
  });

  it("skips a process that exited before readlink", () => {
    const stdout = fixture("cgroup-scan-v2-containerd-systemd.handwritten.txt");
    expect(cgroupScanStrategy.parsePid(stdout, CONTAINERD_V2_ID)).toBe(3190);
  });
});

describe("parseCgroupScan on odd output", () => {
  it("needs the host line", () => {
    expect(() => parseCgroupScan("pid 4778 net:[1] /sys/fs/cgroup/x\n")).toThrow(RuntimeNotFound);
  });

  it("cannot tell processes apart without the host's namespace", () => {
    const stdout = `host -\npid 4778 net:[4026532181] /sys/fs/cgroup/pids/docker/${DOCKER_ID}\n`;
    expect(() => cgroupScanStrategy.parsePid(stdout, DOCKER_ID)).toThrow(
      /did not show the host's network namespace/,
    );
  });

  it("asks for root when it found the processes but could not read their namespaces", () => {
    const stdout = `host host\npid 4778 - /sys/fs/cgroup/pids/docker/${DOCKER_ID}\n`;
    expect(() => cgroupScanStrategy.parsePid(stdout, DOCKER_ID)).toThrow(AccessDenied);
  });

  it("ignores lines it does not know and PIDs that are not processes", () => {
    const stdout = "sh: warning\nhost net:[1]\npid 0 net:[2] /a\npid 1 net:[2] /b\npid x net:[2] /c\n";
    expect(parseCgroupScan(stdout).candidates).toEqual([]);
  });
});
