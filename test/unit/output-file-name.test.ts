import { describe, expect, it } from "vitest";
import { compactUtcStamp, defaultOutputFileName } from "../../src/capture/output-file-name.js";

const START = new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 678));

describe("defaultOutputFileName", () => {
  it("is namespace_pod_UTC-time.pcap", () => {
    expect(defaultOutputFileName("default", "web-7d4b9-x2k", START)).toBe(
      "default_web-7d4b9-x2k_20250102T030405Z.pcap",
    );
  });

  it("keeps the time in UTC whatever the local zone", () => {
    expect(compactUtcStamp(new Date("2025-06-30T23:59:59+02:00"))).toBe("20250630T215959Z");
  });

  it("turns path separators, spaces and controls into dashes and strips leading dots", () => {
    expect(defaultOutputFileName("../..", "a/b c\nd", START)).toBe("unknown_a-b-c-d_20250102T030405Z.pcap");
    expect(defaultOutputFileName("-n", ".hidden", START)).toBe("n_hidden_20250102T030405Z.pcap");
  });

  it("stays under NAME_MAX for a 253-character pod name", () => {
    const name = defaultOutputFileName("n".repeat(63), "p".repeat(253), START);
    expect(name.length).toBeLessThanOrEqual(255);
    expect(name.endsWith("_20250102T030405Z.pcap")).toBe(true);
  });
});
