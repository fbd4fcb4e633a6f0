import { describe, expect, it } from "vitest";
import { MAX_DURATION_SECONDS, parseDuration } from "../../src/capture/parse-duration.js";
import { UsageError } from "../../src/errors.js";

describe("parseDuration", () => {
  it.each([
    ["30s", 30],
    ["5m", 300],
    ["1h30m", 5400],
    ["1h30m15s", 5415],
    ["2d", 172_800],
    ["1d2h3m4s", 93_784],
    ["90", 90],
    [" 10M ", 600],
    ["0h1s", 1],
  ])("reads %j as %i seconds", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(["", "s", "1.5h", "-5s", "5x", "30m1h", "1h1h", "5 m", "1e3", "0x10", "3\n0s", "∞"])(
    "refuses %j",
    (text) => {
      expect(() => parseDuration(text)).toThrow(UsageError);
    },
  );

  it("refuses zero and more than the maximum", () => {
    expect(() => parseDuration("0")).toThrow(/out of range/);
    expect(() => parseDuration("0s")).toThrow(/out of range/);
    expect(parseDuration("30d")).toBe(MAX_DURATION_SECONDS);
    expect(() => parseDuration("30d1s")).toThrow(/out of range/);
    expect(() => parseDuration("9".repeat(400))).toThrow(/out of range/);
  });

  it("names the flag and quotes the input in the message", () => {
    expect(() => parseDuration("5 parsecs\n", "--duration")).toThrow(
      /invalid duration "5 parsecs\\n" for --duration/,
    );
  });
});
