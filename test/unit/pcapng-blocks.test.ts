// Enhanced Packet Blocks written in place: exact timestamps with no BigInt, padding, framing.

import { describe, expect, it } from "vitest";
import {
  encodeEnhancedPacket,
  enhancedPacketLength,
  timestampHigh,
  timestampLow,
  writeEnhancedPacket,
} from "../../src/deliver/pcapng-blocks.js";
import { seeded } from "./pcap-tools.js";

const words = (seconds: number, nanos: number) => {
  const total = BigInt(seconds) * 1_000_000_000n + BigInt(nanos);
  return [Number(total >> 32n), Number(total & 0xffff_ffffn)];
};

describe("timestampHigh and timestampLow", () => {
  const next = seeded(7);
  const cases: [number, number][] = [
    [0, 0],
    [1_700_000_000, 999_999_999],
    [0xffff_ffff, 999_999_999],
    [0xffff, 1],
    [0x1_0000, 0],
    [4, 1_000_000 * 1000 * 4],
    ...Array.from({ length: 500 }, (): [number, number] => [
      next(0x1_0000) * 0x1_0000 + next(0x1_0000),
      next(1e9),
    ]),
  ];
  it("split seconds and nanoseconds into the words BigInt gives, at the edges and at random", () => {
    for (const [seconds, nanos] of cases)
      expect([timestampHigh(seconds, nanos), timestampLow(seconds, nanos)]).toEqual(words(seconds, nanos));
  });
});

describe("writeEnhancedPacket", () => {
  it("frames a 5-byte packet with 3 bytes of zero padding, at an offset, and returns the end", () => {
    const target = Buffer.alloc(64, 0xee);
    const source = Buffer.from("xxhelloyy");
    const end = writeEnhancedPacket(target, 4, 2, 0x0102_0304, 0x0506_0708, 60, source, 2, 5);
    expect(end).toBe(4 + enhancedPacketLength(5));
    expect(enhancedPacketLength(5)).toBe(40);
    const expected = Buffer.alloc(40);
    [6, 40, 2, 0x0102_0304, 0x0506_0708, 5, 60].forEach((word, i) => {
      expected.writeUInt32LE(word, i * 4);
    });
    expected.write("hello", 28);
    expected.writeUInt32LE(40, 36);
    expect(target.subarray(4, end)).toEqual(expected);
    expect(target[3]).toBe(0xee);
    expect(target[end]).toBe(0xee);
  });

  it("is what encodeEnhancedPacket gives for a BigInt timestamp", () => {
    const tsNanos = 1_700_000_000_123_456_789n;
    const data = Buffer.from("a packet of some bytes");
    const block = encodeEnhancedPacket(1, { tsNanos, originalLength: 99, data });
    const target = Buffer.alloc(block.length);
    const [high, low] = words(1_700_000_000, 123_456_789) as [number, number];
    writeEnhancedPacket(target, 0, 1, high, low, 99, data, 0, data.length);
    expect(target).toEqual(block);
  });
});
