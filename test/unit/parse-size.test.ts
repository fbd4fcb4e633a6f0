import { describe, expect, it } from "vitest";
import { parseSize } from "../../src/capture/parse-size.js";
import { UsageError } from "../../src/errors.js";

describe("parseSize", () => {
  it.each([
    ["100", 100],
    ["100B", 100],
    ["512k", 524_288],
    ["512K", 524_288],
    ["512KiB", 524_288],
    ["512KB", 512_000],
    ["10M", 10_485_760],
    ["10MB", 10_000_000],
    ["10mb", 10_000_000],
    ["1GiB", 1_073_741_824],
    ["1.5G", 1_610_612_736],
    ["2T", 2_199_023_255_552],
    [" 64 MiB ", 67_108_864],
  ])("reads %j as %i bytes", (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(["", "MB", "10X", "10 M B", "-1M", "1e6", "10i", "10iB", "0x10", "1,5M", "10MB;rm"])(
    "refuses %j",
    (text) => {
      expect(() => parseSize(text)).toThrow(UsageError);
    },
  );

  it("refuses zero, fractions of a byte and sizes past safe integers", () => {
    expect(() => parseSize("0")).toThrow(/out of range/);
    expect(() => parseSize("0.1B")).toThrow(/out of range/);
    expect(() => parseSize("9999999T")).toThrow(/out of range/);
  });

  it("names the flag in the message", () => {
    expect(() => parseSize("big", "--max-size")).toThrow(/invalid size "big" for --max-size/);
  });
});
