import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigInvalid, ContainerNotFound, RuntimeNotFound } from "../../src/errors.js";
import { dockerStrategy } from "../../src/runtime/docker-strategy.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/runtime/${name}`, import.meta.url), "utf8");

const RUNNING_ID = "e8f3ccd2cbe6a1ab1700e2bec7feb52e6a01b78b344bc38fc2519fdc2d460023";
const EXITED_ID = "3de87c02fe30";

describe("dockerStrategy.inspectArgv", () => {
  it("inspects containers only, on the default socket", () => {
    expect(dockerStrategy.inspectArgv(RUNNING_ID, {}, "docker")).toEqual([
      "docker",
      "container",
      "inspect",
      RUNNING_ID,
    ]);
  });

  it("points -H at a configured socket, with or without unix://", () => {
    for (const socket of ["/run/k3s/docker.sock", "unix:///run/k3s/docker.sock"]) {
      expect(dockerStrategy.inspectArgv(RUNNING_ID, { docker: socket }, "docker")).toEqual([
        "docker",
        "-H",
        "unix:///run/k3s/docker.sock",
        "container",
        "inspect",
        RUNNING_ID,
      ]);
    }
  });

  it.each(["--help", "abc", `${RUNNING_ID}; rm -rf /`, "ABCDEF012345", "0123456789ab\n", "0".repeat(65)])(
    "refuses the container ID %j",
    (id) => {
      expect(() => dockerStrategy.inspectArgv(id, {}, "docker")).toThrow(ContainerNotFound);
    },
  );

  it.each([
    "run/docker.sock",
    "/run/docker.sock; reboot",
    "/run/$(id).sock",
    "/a/../etc/x",
    `/${"s".repeat(107)}`,
  ])("refuses the socket setting %j", (socket) => {
    expect(() => dockerStrategy.inspectArgv(RUNNING_ID, { docker: socket }, "docker")).toThrow(ConfigInvalid);
  });
});

describe("dockerStrategy.parsePid on real docker 20.10 output", () => {
  it("reads State.Pid of a running container", () => {
    expect(dockerStrategy.parsePid(fixture("docker-inspect-running.json"), RUNNING_ID)).toBe(4778);
  });

  it("matches a short ID against the full one", () => {
    expect(dockerStrategy.parsePid(fixture("docker-inspect-running.json"), RUNNING_ID.slice(0, 12))).toBe(
      4778,
    );
  });

  it("says an exited container is not running, with docker's status", () => {
    expect(() => dockerStrategy.parsePid(fixture("docker-inspect-exited.json"), EXITED_ID)).toThrow(
      /3de87c02fe30 is not running \(docker reports "exited"\)/,
    );
  });

  it("refuses a paused container", () => {
    const paused = fixture("docker-inspect-paused.json");
    const id = (JSON.parse(paused) as { Id: string }[])[0]?.Id ?? "";
    expect(() => dockerStrategy.parsePid(paused, id)).toThrow(/not running \(docker reports "paused"\)/);
  });

  it("reports an empty answer as an unknown container", () => {
    expect(() => dockerStrategy.parsePid("[]\n", RUNNING_ID)).toThrow(
      /docker does not know container e8f3ccd2cbe6/,
    );
  });

  it("reports an answer about another container as unknown", () => {
    expect(() => dockerStrategy.parsePid(fixture("docker-inspect-running.json"), "aaaaaaaaaaaa")).toThrow(
      RuntimeNotFound,
    );
  });

  it.each([
    ["not JSON", "Error: No such object"],
    ["no State", '[{"Id":"e8f3ccd2cbe6"}]'],
    ["PID 0 while running", '[{"Id":"e8f3ccd2cbe6","State":{"Running":true,"Pid":0}}]'],
    ["PID 1 (the host's init)", '[{"Id":"e8f3ccd2cbe6","State":{"Running":true,"Pid":1}}]'],
  ])("refuses output with %s", (_, stdout) => {
    expect(() => dockerStrategy.parsePid(stdout, "e8f3ccd2cbe6")).toThrow(RuntimeNotFound);
  });
});
