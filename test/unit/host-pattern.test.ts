import { describe, expect, it } from "vitest";
import { isWildcardPattern, matchPattern, matchPatternList } from "../../src/ssh/host-pattern.js";

describe("OpenSSH host patterns", () => {
  it("reads * as any run and ? as exactly one character", () => {
    expect(matchPattern("node-7", "node-*")).toBe(true);
    expect(matchPattern("node-", "node-*")).toBe(true);
    expect(matchPattern("db.prod", "*.prod")).toBe(true);
    expect(matchPattern("db.prod.eu", "*.prod")).toBe(false);
    expect(matchPattern("node-7", "node-?")).toBe(true);
    expect(matchPattern("node-", "node-?")).toBe(false);
    expect(matchPattern("node-77", "node-?")).toBe(false);
  });

  it("takes regex characters literally and ignores case like ssh", () => {
    expect(matchPattern("10.0.0.5", "10.0.0.*")).toBe(true);
    expect(matchPattern("10a0b0c5", "10.0.0.*")).toBe(false);
    expect(matchPattern("[10.0.0.5]:2222", "[10.0.0.5]:2222")).toBe(true);
    expect(matchPattern("Node-A", "node-a")).toBe(true);
    expect(matchPattern("a+b", "a+b")).toBe(true);
  });

  it("lets a negated pattern veto the list, and never match alone", () => {
    expect(matchPatternList("node-1", "node-*,!node-2")).toBe(true);
    expect(matchPatternList("node-2", "node-*,!node-2")).toBe(false);
    expect(matchPatternList("other", "!node-2")).toBe(false);
    expect(matchPatternList("b", ["a", "b"])).toBe(true);
  });

  it("tells patterns from names", () => {
    expect(isWildcardPattern("node-*")).toBe(true);
    expect(isWildcardPattern("node-?")).toBe(true);
    expect(isWildcardPattern("node-a")).toBe(false);
  });
});
