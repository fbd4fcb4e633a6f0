// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbooks write ${var} literally
import { describe, expect, it } from "vitest";
import { parseVarFlags, resolveVars, substitute } from "../../src/runbook/runbook-variables.js";

describe("runbook variables", () => {
  it("reads --var NAME=VALUE, the value may hold =", () => {
    expect(parseVarFlags(["a=1", "f=port=53", "e="])).toEqual({ a: "1", f: "port=53", e: "" });
    expect(() => parseVarFlags(["nope"])).toThrow(/invalid --var/);
    expect(() => parseVarFlags(["1x=2"])).toThrow(/invalid --var/);
  });

  it("resolves defaults, overrides and values left out", () => {
    expect(resolveVars({ a: 5, b: null, c: true }, { b: "x" })).toEqual({ a: "5", b: "x", c: "true" });
    expect(resolveVars({ b: null }, {})).toEqual({ b: undefined });
  });

  it("substitutes in every string, with the path of what it cannot", () => {
    const { value, unresolved } = substitute(
      { steps: [{ wait: "${d}" }, { fetch: { from: "${x}-$${y}" } }], n: 5, bad: "${ 1a }" },
      { d: "2s", x: undefined },
    );
    expect(value).toEqual({
      steps: [{ wait: "2s" }, { fetch: { from: "${x}-${y}" } }],
      n: 5,
      bad: "${ 1a }",
    });
    expect(unresolved).toEqual([
      { path: ["steps", 1, "fetch", "from"], name: "x", why: "no-value" },
      { path: ["bad"], name: "1a", why: "bad-name" },
    ]);
  });
});
