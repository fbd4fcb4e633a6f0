import { describe, expect, it } from "vitest";
import { printable, printableText } from "../../src/capture/printable.js";

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
