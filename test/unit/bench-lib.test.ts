// The benchmark library's pure parts: medians, parameters, the verdict on a result, and the
// synthetic pcaps the merge benchmark makes (a valid pcap, the same bytes for the same seed).

import { describe, expect, it } from "vitest";
import { numberParam, stringParam } from "../../bench/lib/params.js";
import { judge, type ResultInput, ratioLine } from "../../bench/lib/result.js";
import { median } from "../../bench/lib/stats.js";
import { syntheticPcap } from "../../bench/lib/synthetic-pcap.js";
import { PcapStreamParser } from "../../src/deliver/pcap-stream-parser.js";

describe("median", () => {
  it("takes the middle sample, or the mean of the two middle ones", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });
});

describe("numberParam and stringParam", () => {
  it("read --name=value, then --name value, then BENCH_NAME, then the default", () => {
    expect(numberParam("packets", 5, ["node", "x", "--packets=1_000"])).toBe(1000);
    expect(numberParam("large-files", 5, ["node", "x", "--large-files", "3"])).toBe(3);
    process.env.BENCH_LARGE_PACKETS = "7";
    expect(numberParam("large-packets", 5, [])).toBe(7);
    delete process.env.BENCH_LARGE_PACKETS;
    expect(numberParam("large-packets", 5, [])).toBe(5);
    expect(stringParam("mode", "quick", [])).toBe("quick");
    expect(() => numberParam("packets", 5, ["--packets=many"])).toThrow(/must be a number/);
  });
});

describe("judge", () => {
  const input: ResultInput = {
    name: "merge",
    figure: { what: "podcap", value: 0.2, unit: "s" },
    baseline: { what: "mergecap", value: 0.4, unit: "s" },
    target: { better: "lower", ratio: 1, text: "at least as fast as mergecap" },
    parameters: {},
  };

  it("passes a ratio within the target", () => {
    expect(judge(input)).toEqual({ ratio: 0.5, pass: true, failures: [] });
    const line = ratioLine({ ...input, ...judge(input), machine: {} as never });
    expect(line).toBe("merge: podcap 0.200 s, mergecap 0.400 s, ratio 0.500 (target ≤ 1.00): pass");
  });

  it("fails a ratio past the target, a failed check, and a higher-is-better figure below its bound", () => {
    expect(judge({ ...input, figure: { ...input.figure, value: 0.8 } }).failures).toEqual([
      "ratio 2.00 misses ≤ 1.00",
    ]);
    expect(judge({ ...input, checks: { "same order": false } }).failures).toEqual([
      "check failed: same order",
    ]);
    const throughput: ResultInput = {
      ...input,
      figure: { what: "podcap", value: 40, unit: "MB/s" },
      baseline: undefined,
      target: { better: "higher", value: 50, text: "at least 50 MB/s" },
    };
    expect(judge(throughput)).toEqual({
      ratio: undefined,
      pass: false,
      failures: ["40.0 MB/s misses at least 50 MB/s"],
    });
  });
});

describe("syntheticPcap", () => {
  const spec = { fileIndex: 5, packets: 3000, seed: 9, nanos: true };
  const bytes = Buffer.concat([...syntheticPcap(spec, 10_000)]);

  it("is a pcap of that many packets in time order, each naming its file and sequence", () => {
    const { header, records } = new PcapStreamParser().push(bytes);
    expect(header).toMatchObject({ linkType: 1, nanos: true, littleEndian: true });
    expect(records).toHaveLength(3000);
    for (const [sequence, record] of records.entries()) {
      expect(record.data.readUInt8(6)).toBe(2);
      expect(record.data.readUInt8(7)).toBe(5);
      expect(record.data.readUInt32BE(8)).toBe(sequence);
      expect(record.capturedLength).toBeGreaterThanOrEqual(54);
      expect(record.capturedLength).toBeLessThanOrEqual(1514);
      if (sequence > 0) expect(record.tsNanos >= (records[sequence - 1]?.tsNanos ?? 0n)).toBe(true);
    }
    expect(new Set(records.map((record) => record.tsNanos)).size).toBeLessThan(3000);
  });

  it("gives the same bytes for the same seed, whatever the chunk size", () => {
    expect(Buffer.concat([...syntheticPcap(spec)]).equals(bytes)).toBe(true);
    expect(Buffer.concat([...syntheticPcap({ ...spec, seed: 10 })]).equals(bytes)).toBe(false);
  });
});
