import { describe, expect, it } from "vitest";
import { classifyInspectFailure, type InspectFailureKind } from "../../src/runtime/inspect-failure.js";

// Messages as the tools print them; the first six were produced on the development machine.
const cases: [string, number, string, InspectFailureKind][] = [
  ["sudo, missing command", 1, "sudo: docker: command not found", "unusable"],
  ["dash, missing command", 127, "sh: 1: crictl: not found", "unusable"],
  ["env, missing command", 127, "env: ‘ctr’: No such file or directory", "unusable"],
  [
    "docker, no daemon",
    1,
    "Cannot connect to the Docker daemon at unix:///nonexist.sock. Is the docker daemon running?",
    "unusable",
  ],
  [
    "ctr, no socket",
    1,
    'ctr: failed to dial "/tmp/nonexist.sock": context deadline exceeded: connection error: desc = "transport: error while dialing: dial unix:///tmp/nonexist.sock: timeout"',
    "unusable",
  ],
  [
    "docker, unknown container",
    1,
    "Error response from daemon: No such container: abc123abc123",
    "not-found",
  ],
  ["docker inspect (old form), unknown", 1, "Error: No such object: abc123abc123", "not-found"],
  ["bash, missing command", 127, "bash: line 1: crictl: command not found", "unusable"],
  ["busybox sh, missing command", 127, "sh: crictl: not found", "unusable"],
  ["Go exec", 1, 'exec: "crictl": executable file not found in $PATH', "unusable"],
  [
    "crictl, socket missing",
    1,
    'validate service connection: validate CRI v1 runtime API for endpoint "unix:///run/containerd/containerd.sock": rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix /run/containerd/containerd.sock: connect: no such file or directory"',
    "unusable",
  ],
  ["crictl, old version", 1, "Incorrect Usage: flag provided but not defined: -output", "unusable"],
  [
    "crictl, containerd: unknown container",
    1,
    'getting the status of the container "0123456789ab": rpc error: code = NotFound desc = an error occurred when try to find container "0123456789ab": not found',
    "not-found",
  ],
  [
    "crictl, CRI-O: unknown container",
    1,
    'rpc error: code = NotFound desc = could not find container "0123456789ab": container with ID starting with 0123456789ab not found: ID does not exist',
    "not-found",
  ],
  ["sudo wants a password", 1, "sudo: a password is required", "denied"],
  [
    "docker socket root-only",
    1,
    "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock",
    "denied",
  ],
  [
    "crictl socket root-only",
    1,
    "transport: Error while dialing: dial unix /run/containerd/containerd.sock: connect: permission denied",
    "denied",
  ],
  ["something else", 2, "panic: runtime error", "failed"],
];

describe("classifyInspectFailure", () => {
  it.each(cases)("%s -> %s", (_, exitCode, stderr, kind) => {
    expect(classifyInspectFailure({ exitCode, stdout: "", stderr }).kind).toBe(kind);
  });

  it("treats 126 and 127 as a tool that cannot run, whatever it printed", () => {
    expect(classifyInspectFailure({ exitCode: 126, stdout: "", stderr: "" }).kind).toBe("unusable");
  });

  it("reads docker's stdout too ([] on stdout, error on stderr)", () => {
    const failure = classifyInspectFailure({
      exitCode: 1,
      stdout: "[]\n",
      stderr: "\nError: No such object: x\n",
    });
    expect(failure).toEqual({ kind: "not-found", reason: "Error: No such object: x" });
  });

  it("keeps the reason to one bounded line", () => {
    const failure = classifyInspectFailure({
      exitCode: 1,
      stdout: "",
      stderr: `${"x".repeat(5000)}\nsecond`,
    });
    expect(failure.reason).toHaveLength(200);
    expect(classifyInspectFailure({ exitCode: null, stdout: "", stderr: "" }).reason).toBe("exit code none");
  });
});
