import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigInvalid, RuntimeNotFound } from "../../src/errors.js";
import { crictlStrategy } from "../../src/runtime/crictl-strategy.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/runtime/${name}`, import.meta.url), "utf8");

const ID = "73b954661456bc19e18a9d026b12d299c6089b75abf5f04bde0e349642450adf";
const sockets = { containerd: "/run/containerd/containerd.sock", crio: "/var/run/crio/crio.sock" };

describe("crictlStrategy.inspectArgv", () => {
  it("uses crictl's own endpoint configuration when no socket is set", () => {
    expect(crictlStrategy.inspectArgv(ID, {}, "containerd")).toEqual([
      "crictl",
      "inspect",
      "--output",
      "json",
      ID,
    ]);
  });

  it("picks the socket of the container's runtime", () => {
    expect(crictlStrategy.inspectArgv(ID, sockets, "containerd").slice(0, 3)).toEqual([
      "crictl",
      "--runtime-endpoint",
      "unix:///run/containerd/containerd.sock",
    ]);
    expect(crictlStrategy.inspectArgv(ID, sockets, "cri-o").slice(0, 3)).toEqual([
      "crictl",
      "--runtime-endpoint",
      "unix:///var/run/crio/crio.sock",
    ]);
  });

  it("does not hand a CRI-O socket to a containerd lookup", () => {
    expect(crictlStrategy.inspectArgv(ID, { crio: sockets.crio }, "containerd")).not.toContain(
      "--runtime-endpoint",
    );
  });

  it("refuses a relative or hostile socket", () => {
    expect(() => crictlStrategy.inspectArgv(ID, { crio: "crio.sock" }, "cri-o")).toThrow(ConfigInvalid);
    expect(() => crictlStrategy.inspectArgv(ID, { crio: "/x.sock\n--debug" }, "cri-o")).toThrow(
      ConfigInvalid,
    );
  });
});

describe("crictlStrategy.parsePid", () => {
  it("reads .info.pid from containerd (real sample)", () => {
    expect(crictlStrategy.parsePid(fixture("crictl-inspect-containerd-sandbox-ready.json"), ID)).toBe(48095);
  });

  it("says an exited containerd container is not running (real sample)", () => {
    expect(() => crictlStrategy.parsePid(fixture("crictl-inspect-containerd-exited.json"), ID)).toThrow(
      /is not running \(crictl reports "CONTAINER_EXITED"\)/,
    );
  });

  it("says an exited CRI-O container is not running (real sample)", () => {
    expect(() => crictlStrategy.parsePid(fixture("crictl-inspect-crio-exited.json"), ID)).toThrow(
      RuntimeNotFound,
    );
  });

  it("reads .info.pid from CRI-O 1.18 and later", () => {
    expect(crictlStrategy.parsePid(fixture("crictl-inspect-crio-running.reconstructed.json"), ID)).toBe(
      27341,
    );
  });

  it("reads the top-level pid of CRI-O 1.12 to 1.17", () => {
    expect(
      crictlStrategy.parsePid(fixture("crictl-inspect-crio-legacy-running.reconstructed.json"), ID),
    ).toBe(27341);
  });

  it("explains a null pid (a new crictl in front of an old CRI-O)", () => {
    const stdout = JSON.stringify({ status: { state: "CONTAINER_RUNNING" }, pid: null, sandboxId: null });
    expect(() => crictlStrategy.parsePid(stdout, ID)).toThrow(
      /no usable pid at \.info\.pid or \.pid \(found null\)/,
    );
  });

  it.each([
    ["a created container", { status: { state: "CONTAINER_CREATED" }, info: { pid: 0 } }, /not running/],
    ["an unknown state", { status: { state: "CONTAINER_UNKNOWN" }, info: { pid: 9 } }, /not running/],
    ["no status", { info: { pid: 4242 } }, /no status\.state/],
    [
      "a pid string that is not a number",
      { status: { state: "CONTAINER_RUNNING" }, pid: "12; rm" },
      /no usable pid/,
    ],
    ["an array", [], /not an object/],
  ])("refuses %s", (_, output, message) => {
    expect(() => crictlStrategy.parsePid(JSON.stringify(output), ID)).toThrow(message);
  });

  it("refuses non-JSON output and quotes it safely", () => {
    expect(() => crictlStrategy.parsePid("FATA[0000] \u001b[31mboom\nnext", ID)).toThrow(
      /expected JSON, got "FATA\[0000\] \\u001b\[31mboom\\nnext"/,
    );
  });
});
