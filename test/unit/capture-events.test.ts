import { describe, expect, it } from "vitest";
import {
  captureEventsEnabled,
  captureStartedEvent,
  captureStoppedEvent,
  eventName,
} from "../../src/kube/capture-events.js";

const pod = { namespace: "demo", name: "web-1", uid: "pod-demo-web-1", container: "web" };
const now = new Date("2025-03-01T10:00:00.000Z");
const start = { captureId: "20250301T100000Z-a1b2c3", user: "operator", iface: "eth0", node: "node-a" };

describe("capture events", () => {
  it("are named like the kubelet's: <pod>.<16 hex digits>, unique", () => {
    expect(eventName("web-1", now)).toMatch(/^web-1\.[0-9a-f]{16}$/);
    expect(eventName("web-1", now)).not.toBe(eventName("web-1", now));
    expect(eventName("p".repeat(253), now)).toHaveLength(253);
  });

  it("point at the pod, say who started what where, and come from podcap", () => {
    const event = captureStartedEvent(pod, { ...start, filter: "tcp port 80" }, now, "podcap@laptop");
    expect(event).toMatchObject({
      metadata: { namespace: "demo" },
      involvedObject: {
        apiVersion: "v1",
        kind: "Pod",
        namespace: "demo",
        name: "web-1",
        uid: "pod-demo-web-1",
        fieldPath: "spec.containers{web}",
      },
      reason: "PacketCaptureStarted",
      type: "Normal",
      source: { component: "podcap", host: "node-a" },
      reportingComponent: "podcap",
      reportingInstance: "podcap@laptop",
      count: 1,
      firstTimestamp: now,
    });
    expect(event.message).toBe(
      'user "operator" started packet capture 20250301T100000Z-a1b2c3 on node node-a: interface eth0, filter "tcp port 80"',
    );
    expect(captureStartedEvent(pod, { ...start, filter: "" }, now).message).toContain("filter none");
  });

  it("keep a hostile filter on one quoted line, cut short", () => {
    const filter = `port 80 and "x"\n$(reboot)\u001b[2J${"a".repeat(500)}`;
    const { message = "" } = captureStartedEvent(pod, { ...start, filter }, now);
    expect(message).not.toMatch(/\p{Cc}/u);
    expect(message).toContain(String.raw`"port 80 and \"x\"\n$(reboot)\u001b[2J`);
    expect(message.length).toBeLessThan(400);
  });

  it("report packets, bytes, duration and why the capture stopped", () => {
    const event = captureStoppedEvent(
      { namespace: "demo", name: "web-1" },
      {
        captureId: start.captureId,
        node: "node-a",
        packets: 42,
        bytes: 6300,
        durationSeconds: 10.04,
        reason: "duration",
      },
      now,
    );
    expect(event.reason).toBe("PacketCaptureStopped");
    expect(event.message).toBe(
      "packet capture 20250301T100000Z-a1b2c3 stopped (duration): 42 packets, 6300 bytes in 10.0s",
    );
    expect(event.involvedObject).toEqual({ apiVersion: "v1", kind: "Pod", namespace: "demo", name: "web-1" });
  });

  it("are on unless the inventory says events: false", () => {
    expect(captureEventsEnabled({ settings: {} })).toBe(true);
    expect(captureEventsEnabled({ settings: { events: true } })).toBe(true);
    expect(captureEventsEnabled({ settings: { events: false } })).toBe(false);
  });
});
