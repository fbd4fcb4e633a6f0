import { describe, expect, it } from "vitest";
import { parseHopSpec, parseProxyJump } from "../../src/inventory/jump-spec.js";

describe("jump host specs", () => {
  it("reads the forms ssh -J accepts", () => {
    expect(parseHopSpec("bastion")).toEqual({ host: "bastion" });
    expect(parseHopSpec("ops@bastion:2200")).toEqual({ host: "bastion", user: "ops", port: 2200 });
    expect(parseHopSpec("ssh://ops@bastion:2200")).toEqual({ host: "bastion", user: "ops", port: 2200 });
    expect(parseHopSpec("[fd00::1]:2200")).toEqual({ host: "fd00::1", port: 2200 });
    expect(parseHopSpec("root@10.0.0.1")).toEqual({ host: "10.0.0.1", user: "root" });
  });

  it("says what is wrong with a bad spec", () => {
    expect(() => parseHopSpec("bastion:http")).toThrow(/bad port/);
    expect(() => parseHopSpec("bastion:70000")).toThrow(/bad port/);
    expect(() => parseHopSpec("@bastion")).toThrow(/empty user/);
    expect(() => parseHopSpec("root@")).toThrow(/bad host/);
  });

  it("splits ProxyJump lists, and none means direct", () => {
    expect(parseProxyJump("a,ops@b:22")).toEqual([{ host: "a" }, { host: "b", user: "ops", port: 22 }]);
    expect(parseProxyJump("none")).toEqual([]);
  });
});
