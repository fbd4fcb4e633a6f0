import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ContainerNotFound, RuntimeNotFound } from "../../src/errors.js";
import { ctrStrategy } from "../../src/runtime/ctr-strategy.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/runtime/${name}`, import.meta.url), "utf8");

const RUNNING = "f3dc04d3c968e302120ec028a750ba9c476ddde3b90042840d480699515e343e";
const STOPPED = "0d60540988ac8767648f232bc332b3f1d4a9c9b8bf36a9de74823e0cd6daea5e";
const PAUSED = "7bbf5bef9c25cd702884b4871c9434f74620ded9a2f1f61fbe1add8b1c5e17c9";

describe("ctrStrategy.inspectArgv", () => {
  it("lists the tasks of the kubelet's namespace", () => {
    expect(ctrStrategy.inspectArgv(RUNNING, {}, "containerd")).toEqual([
      "ctr",
      "--namespace",
      "k8s.io",
      "task",
      "ls",
    ]);
  });

  it("passes the socket as a plain path before the subcommand", () => {
    expect(
      ctrStrategy.inspectArgv(
        RUNNING,
        { containerd: "unix:///run/k3s/containerd/containerd.sock" },
        "containerd",
      ),
    ).toEqual([
      "ctr",
      "--address",
      "/run/k3s/containerd/containerd.sock",
      "--namespace",
      "k8s.io",
      "task",
      "ls",
    ]);
  });

  it("still refuses a bad ID although the ID is not in the argv", () => {
    expect(() => ctrStrategy.inspectArgv("$(reboot)", {}, "containerd")).toThrow(ContainerNotFound);
  });
});

describe("ctrStrategy.parsePid on real ctr 1.6 output", () => {
  it("reads the PID of a RUNNING task", () => {
    expect(ctrStrategy.parsePid(fixture("ctr-task-ls.txt"), RUNNING)).toBe(5496);
  });

  it.each([
    [STOPPED, "STOPPED"],
    [PAUSED, "PAUSED"],
  ])("says task %s is not running (%s)", (id, status) => {
    expect(() => ctrStrategy.parsePid(fixture("ctr-task-ls.txt"), id)).toThrow(`(ctr reports "${status}")`);
  });

  it("does not match a task by prefix", () => {
    expect(() => ctrStrategy.parsePid(fixture("ctr-task-ls.txt"), RUNNING.slice(0, 12))).toThrow(
      /ctr \(namespace k8s\.io\) does not know container f3dc04d3c968/,
    );
  });

  it("says an empty namespace does not know the container", () => {
    expect(() => ctrStrategy.parsePid(fixture("ctr-task-ls-empty.txt"), RUNNING)).toThrow(RuntimeNotFound);
  });

  it("refuses output that is not the task table", () => {
    expect(() => ctrStrategy.parsePid('ctr: failed to dial "/run/x.sock"', RUNNING)).toThrow(
      /TASK PID STATUS/,
    );
    expect(() => ctrStrategy.parsePid("", RUNNING)).toThrow(RuntimeNotFound);
  });

  it("refuses a row whose PID is not a process", () => {
    const table = `TASK    PID    STATUS\n${RUNNING}    0    RUNNING\n`;
    expect(() => ctrStrategy.parsePid(table, RUNNING)).toThrow(/has PID 0/);
  });
});
