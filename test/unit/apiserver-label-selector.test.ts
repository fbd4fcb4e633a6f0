import { describe, expect, it } from "vitest";
import {
  matchesLabels,
  parseLabelSelector,
  SelectorSyntaxError,
} from "../../scripts/labkit/apiserver/label-selector.js";

const matches = (selector: string, labels: Record<string, string>) =>
  matchesLabels(parseLabelSelector(selector), labels);
const web = { app: "web", tier: "frontend", "app.kubernetes.io/version": "3" };

describe("parseLabelSelector", () => {
  it("parses every operator kubectl -l accepts", () => {
    expect(parseLabelSelector("a=1, b==2,c!=3,d in (x, y),e notin (z),f,!g,h>4,i<5")).toEqual([
      { key: "a", operator: "=", values: ["1"] },
      { key: "b", operator: "=", values: ["2"] },
      { key: "c", operator: "!=", values: ["3"] },
      { key: "d", operator: "in", values: ["x", "y"] },
      { key: "e", operator: "notin", values: ["z"] },
      { key: "f", operator: "exists", values: [] },
      { key: "g", operator: "!", values: [] },
      { key: "h", operator: "gt", values: ["4"] },
      { key: "i", operator: "lt", values: ["5"] },
    ]);
  });

  it("accepts an empty selector and empty values", () => {
    expect(parseLabelSelector("")).toEqual([]);
    expect(parseLabelSelector("tier=")).toEqual([{ key: "tier", operator: "=", values: [""] }]);
    expect(parseLabelSelector("tier in (,a)")).toEqual([{ key: "tier", operator: "in", values: ["", "a"] }]);
  });

  it.each([
    ["app=web=x", "found '=', expected: ','"],
    ["app in web", "expected: '('"],
    ["app in (a", "expected: ',' or ')'"],
    ["app=we b", "found 'b', expected: ','"],
    ["app=$x", 'invalid label value: "$x"'],
    ["-app=x", 'invalid label key "-app"'],
    ["app>x", "must be an integer"],
    ["app~x", 'invalid label key "app~x"'],
    [",app", "expected: identifier"],
  ])("rejects %j", (selector, message) => {
    expect(() => parseLabelSelector(selector)).toThrow(SelectorSyntaxError);
    expect(() => parseLabelSelector(selector)).toThrow(message);
  });
});

describe("matchesLabels", () => {
  it.each([
    ["app=web", true],
    ["app==web,tier=frontend", true],
    ["app=db", false],
    ["app!=db", true],
    ["missing!=x", true],
    ["app in (db,web)", true],
    ["app in (db)", false],
    ["app notin (web)", false],
    ["missing notin (x)", true],
    ["app", true],
    ["missing", false],
    ["!missing", true],
    ["!app", false],
    ["app.kubernetes.io/version>2", true],
    ["app.kubernetes.io/version<3", false],
    ["missing>1", false],
    ["tier=", false],
  ])("%s -> %s", (selector, expected) => {
    expect(matches(selector, web)).toBe(expected);
  });

  it("treats an object without labels as having none", () => {
    expect(matchesLabels(parseLabelSelector("!app"), undefined)).toBe(true);
    expect(matchesLabels(parseLabelSelector("app"), undefined)).toBe(false);
  });
});
