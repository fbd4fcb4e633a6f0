import { describe, expect, it } from "vitest";
import { parseWhere, vantageLabel, wrapperVantageArgs } from "../../src/capture/vantage.js";

describe("parseWhere", () => {
  it("is inside the pod on eth0 by default, or on -i", () => {
    expect(parseWhere(undefined, undefined)).toEqual([{ vantage: "pod", iface: "eth0" }]);
    expect(parseWhere(undefined, "lo")).toEqual([{ vantage: "pod", iface: "lo" }]);
  });

  it("keeps the order given, and veth follows the pod's -i", () => {
    expect(parseWhere("veth,pod,any", "net1")).toEqual([
      { vantage: "veth", iface: "net1" },
      { vantage: "pod", iface: "net1" },
      { vantage: "any", iface: "any" },
    ]);
  });

  it("takes the node's interface from -i only when node is the one vantage point", () => {
    expect(parseWhere("node", "cni0")).toEqual([{ vantage: "node", iface: "cni0" }]);
    expect(parseWhere("node", undefined)).toEqual([{ vantage: "node", iface: undefined }]);
    expect(parseWhere("pod,node", "lo")).toEqual([
      { vantage: "pod", iface: "lo" },
      { vantage: "node", iface: undefined },
    ]);
    expect(parseWhere("pod,node:cni0", undefined)[1]).toEqual({ vantage: "node", iface: "cni0" });
  });

  it.each([
    ["bogus", /--where takes pod, veth, node or any, got "bogus"/],
    ["pod,,veth", /got ""/],
    ["veth:eth0", /--where veth takes no interface/],
    ["any:eth0", /--where any takes no interface/],
    ["node:a:b", /--where takes pod/],
    ["node:bad name", /invalid interface name/],
    ["pod,eth0", /got "eth0"/],
    ["pod,pod", /names eth0 twice/],
  ])("refuses %j with a hint", (where, message) => {
    expect(() => parseWhere(where, undefined)).toThrow(message);
  });

  it("refuses a bad -i even where it is unused", () => {
    expect(() => parseWhere("any", "x y")).toThrow(/invalid interface name/);
  });
});

describe("vantage names", () => {
  it("name each stream after its vantage point", () => {
    expect(parseWhere("pod,veth,node,node:cni0,any", undefined).map(vantageLabel)).toEqual([
      "eth0",
      "veth(eth0)",
      "node",
      "node:cni0",
      "any",
    ]);
  });

  it("tell the wrapper - for the node's default route", () => {
    expect(wrapperVantageArgs({ vantage: "node" })).toEqual(["node", "-"]);
    expect(wrapperVantageArgs({ vantage: "veth", iface: "eth0" })).toEqual(["veth", "eth0"]);
  });
});
