import { describe, expect, it } from "vitest";
import { RuntimeNotFound } from "../../src/errors.js";
import { chooseStrategies } from "../../src/runtime/choose-strategies.js";

const names = (...args: Parameters<typeof chooseStrategies>) => chooseStrategies(...args).map((s) => s.name);

describe("chooseStrategies", () => {
  it("starts with the cgroup scan, then follows the container ID's scheme", () => {
    expect(names("docker")).toEqual(["cgroup", "docker"]);
    expect(names("containerd")).toEqual(["cgroup", "crictl", "ctr"]);
    expect(names("cri-o")).toEqual(["cgroup", "crictl"]);
  });

  it("falls back to the cgroup scan alone for an unknown runtime instead of failing", () => {
    expect(names("unknown")).toEqual(["cgroup"]);
  });

  it("uses the inventory's order when there is one", () => {
    expect(names("containerd", ["ctr", "cgroup", "crictl"])).toEqual(["ctr", "cgroup", "crictl"]);
  });

  it("drops listed runtimes that cannot look up the scheme, and duplicates", () => {
    expect(names("docker", ["ctr", "docker", "docker", "cgroup"])).toEqual(["docker", "cgroup"]);
    expect(names("docker", ["crictl"])).toEqual(["crictl"]);
  });

  it("explains a list that leaves nothing to try", () => {
    expect(() => chooseStrategies("cri-o", ["docker", "ctr"])).toThrow(RuntimeNotFound);
    expect(() => chooseStrategies("cri-o", ["docker", "ctr"])).toThrow(/can look up a cri-o container/);
  });
});
