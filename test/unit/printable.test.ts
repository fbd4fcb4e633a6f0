import { describe, expect, it } from "vitest";
import { printable, printableText, visibleText } from "../../src/capture/printable.js";

describe("printable", () => {
  it("quotes and escapes control characters", () => {
    expect(printable("a\nb\u0000\u001b[2J")).toBe('"a\\nb\\u0000\\u001b[2J"');
  });

  it("cuts long values", () => {
    expect(printable("x".repeat(100), 5)).toBe('"xxxxx…"');
  });

  it("has a quote-less form for prose", () => {
    expect(printableText('say "hi"\n')).toBe('say \\"hi\\"\\n');
  });
});

describe("visibleText", () => {
  it("keeps quotes and prose, escapes what would break or rewrite the line", () => {
    expect(visibleText('user "viewer" may not')).toBe('user "viewer" may not');
    expect(visibleText("a\nb\rc\u001b[2Jd\u0000e\u2028f")).toBe("a\\nb\\rc\\u001b[2Jd\\u0000e\\u2028f");
    expect(visibleText("x".repeat(10), 4)).toBe("xxxx…");
  });
});
