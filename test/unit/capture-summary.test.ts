import { describe, expect, it } from "vitest";
import type { CaptureResult } from "../../src/capture/capture-pod.js";
import type { CaptureOutcome } from "../../src/capture/remote-capture.js";
import type { PodTarget } from "../../src/kube/pod-target.js";
import { humanBytes, summaryJson, summaryLine } from "../../src/ui/capture-summary.js";

const CONTAINER_ID = "4f1c7e2a9b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8";

function result(pod: Partial<PodTarget> = {}, outcome: Partial<CaptureOutcome> = {}): CaptureResult {
  const container = {
    name: "app",
    id: CONTAINER_ID,
    scheme: "containerd" as const,
    ready: true,
    restartCount: 0,
  };
  return {
    id: "20261122T145937Z-fc7f98",
    vantage: { vantage: "pod", iface: "eth0" },
    pod: {
      namespace: "demo",
      name: "web-6b7f9d8c5-x2x9z",
      nodeName: "node-a",
      podIP: "10.244.1.2",
      phase: "Running",
      labels: { app: "web" },
      container,
      containers: [container],
      ...pod,
    },
    target: {
      nodeName: "node-a",
      host: "127.0.10.1",
      port: 2222,
      user: "podcap",
      identityFiles: [],
      knownHostsFiles: [],
      jump: [],
      sudo: true,
      runtimes: [],
      sockets: {},
      tcpdumpPath: "tcpdump",
    },
    located: { runtime: "ctr", pid: 13890 },
    outcome: {
      reason: "interrupted",
      progress: { packets: 1234, bytes: 1_536_000, lastPacketAt: 1_795_360_552 },
      stats: { captured: 1234, receivedByFilter: 1240, droppedByKernel: 6, droppedByInterface: undefined },
      messages: [],
      ...outcome,
    },
    startedAt: new Date("2026-11-22T14:59:37.000Z"),
    endedAt: new Date("2026-11-22T15:00:49.456Z"),
  };
}

describe("humanBytes", () => {
  it.each([
    [0, "0 B"],
    [24, "24 B"],
    [999, "999 B"],
    [1000, "1.0 kB"],
    [1536, "1.5 kB"],
    [999_949, "999.9 kB"],
    [999_950, "1.0 MB"],
    [999_999, "1.0 MB"],
    [10_000_000, "10.0 MB"],
    [1_073_741_824, "1.1 GB"],
    [999_999_999_999, "1.0 TB"],
    [2.5e15, "2500.0 TB"],
  ])("shows %i bytes as %j", (bytes, text) => {
    expect(humanBytes(bytes)).toBe(text);
  });
});

describe("summaryLine", () => {
  it("says what was captured, from where, how long, into what and why it stopped", () => {
    expect(summaryLine(result(), "demo_web.pcap")).toBe(
      "1234 packets, 1.5 MB from demo/web-6b7f9d8c5-x2x9z in 72.5 s -> demo_web.pcap " +
        "(stopped: interrupted, 6 dropped by kernel)",
    );
  });

  it("leaves the kernel drops out when tcpdump printed no statistics", () => {
    const line = summaryLine(result({}, { stats: undefined, reason: "connection-lost" }), "standard output");
    expect(line).toMatch(/-> standard output \(stopped: connection-lost\)$/);
  });

  it("stays one line whatever the names and path hold", () => {
    const line = summaryLine(
      result({ namespace: "demo\n", name: "web\u001b]0;pwned\u0007\r\0" }),
      "/tmp/cap\nture \u001b[2J.pcap",
    );
    expect([...line].filter((char) => char < " " || char === "\x7f")).toEqual([]);
    expect(line).toContain("from demo\\n/web\\u001b]0;pwned\\u0007\\r\\u0000 in");
    expect(line).toContain("-> /tmp/cap\\nture \\u001b[2J.pcap (stopped");
  });

  it("shows an ordinary path as is, spaces, quotes and all", () => {
    expect(summaryLine(result(), "/tmp/my capture's.pcap")).toContain("-> /tmp/my capture's.pcap (");
  });

  it("bounds a hostile megabyte-long name", () => {
    expect(summaryLine(result({ name: "a".repeat(1_000_000) }), "x.pcap").length).toBeLessThan(5000);
  });
});

describe("summaryJson", () => {
  it("gives a script every fact of the capture", () => {
    expect(summaryJson(result(), "demo_web.pcap", "tcp port 80", "eth0")).toEqual({
      id: "20261122T145937Z-fc7f98",
      pod: "web-6b7f9d8c5-x2x9z",
      namespace: "demo",
      node: "node-a",
      podIP: "10.244.1.2",
      container: "app",
      containerID: `containerd://${CONTAINER_ID}`,
      runtime: "ctr",
      pid: 13890,
      interface: "eth0",
      filter: "tcp port 80",
      file: "demo_web.pcap",
      packets: 1234,
      bytes: 1_536_000,
      durationSeconds: 72.456,
      startedAt: "2026-11-22T14:59:37.000Z",
      endedAt: "2026-11-22T15:00:49.456Z",
      stopReason: "interrupted",
      tcpdump: { captured: 1234, receivedByFilter: 1240, droppedByKernel: 6, droppedByInterface: undefined },
      sshTarget: "podcap@127.0.10.1:2222",
    });
  });

  it("says null, not nothing, when tcpdump printed no statistics", () => {
    const json = JSON.parse(JSON.stringify(summaryJson(result({}, { stats: undefined }), "-", "", "any")));
    expect(json.tcpdump).toBeNull();
    expect(json.filter).toBe("");
  });

  it("keeps hostile values exact, and on one line once serialised", () => {
    const name = "web\n\u001b[2J\0\"'$(id)`id`;-rf";
    const filter = "port 80 and host 10.0.0.1";
    const text = JSON.stringify(summaryJson(result({ name }), "/tmp/a\nb.pcap", filter, "eth0"));
    expect(text).not.toContain("\n");
    const json = JSON.parse(text);
    expect(json.pod).toBe(name);
    expect(json.file).toBe("/tmp/a\nb.pcap");
  });
});
