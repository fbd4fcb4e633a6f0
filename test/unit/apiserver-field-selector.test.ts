import { describe, expect, it } from "vitest";
import { compileFieldSelector, parseFieldSelector } from "../../scripts/labkit/apiserver/field-selector.js";
import { SelectorSyntaxError } from "../../scripts/labkit/apiserver/label-selector.js";

interface Thing {
  name: string;
  node?: string;
}
const fields = { "metadata.name": (t: Thing) => t.name, "spec.nodeName": (t: Thing) => t.node ?? "" };

describe("parseFieldSelector", () => {
  it("parses =, == and != with escaped separators", () => {
    expect(parseFieldSelector("a=1,b==2, c != 3,d=x\\,y\\=z")).toEqual([
      { field: "a", negated: false, value: "1" },
      { field: "b", negated: false, value: "2" },
      { field: "c", negated: true, value: "3" },
      { field: "d", negated: false, value: "x,y=z" },
    ]);
    expect(parseFieldSelector("  ")).toEqual([]);
  });

  it("rejects terms without an operator", () => {
    expect(() => parseFieldSelector("spec.nodeName")).toThrow(SelectorSyntaxError);
    expect(() => parseFieldSelector("=x")).toThrow("can't understand '=x'");
  });
});

describe("compileFieldSelector", () => {
  const nodeA = { name: "p1", node: "a" };
  const unscheduled = { name: "p2" };

  it("matches on the resource's fields, an unset field reading as empty", () => {
    expect(compileFieldSelector("spec.nodeName=a", fields)(nodeA)).toBe(true);
    expect(compileFieldSelector("spec.nodeName=a", fields)(unscheduled)).toBe(false);
    expect(compileFieldSelector("spec.nodeName=", fields)(unscheduled)).toBe(true);
    expect(compileFieldSelector("spec.nodeName!=a,metadata.name=p2", fields)(unscheduled)).toBe(true);
    expect(compileFieldSelector("", fields)(nodeA)).toBe(true);
  });

  it("refuses a field the resource does not index, like the apiserver", () => {
    expect(() => compileFieldSelector("status.hostIP=1.2.3.4", fields)).toThrow(
      "field label not supported: status.hostIP",
    );
    expect(() => compileFieldSelector("constructor=x", fields)).toThrow(
      "field label not supported: constructor",
    );
  });
});
