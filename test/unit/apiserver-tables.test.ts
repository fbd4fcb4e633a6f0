import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { ageOf, humanDuration } from "../../scripts/labkit/apiserver/human-duration.js";
import { podColumns, podReady, podRestarts, podStatus } from "../../scripts/labkit/apiserver/pod-columns.js";
import { renderTable } from "../../scripts/labkit/apiserver/table.js";
import { eventColumns, nodeRoles, nodeStatus } from "../../scripts/labkit/apiserver/table-columns.js";

const now = new Date("2025-06-01T12:00:00Z");
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

function pod(states: NonNullable<V1Pod["status"]>["containerStatuses"], extra: Partial<V1Pod> = {}): V1Pod {
  return {
    metadata: { name: "p", namespace: "demo", creationTimestamp: ago(3600) },
    spec: { containers: (states ?? []).map((s) => ({ name: s.name })) },
    status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }], containerStatuses: states },
    ...extra,
  };
}
const running = (name: string, ready = true) => ({
  name,
  image: "i",
  imageID: "",
  ready,
  restartCount: 0,
  state: { running: { startedAt: ago(60) } },
});

describe("humanDuration", () => {
  it.each([
    [-5, "<invalid>"],
    [-0.5, "0s"],
    [59, "59s"],
    [119, "119s"],
    [120, "2m"],
    [150, "2m30s"],
    [600, "10m"],
    [3 * 3600 - 1, "179m"],
    [3 * 3600, "3h"],
    [3 * 3600 + 120, "3h2m"],
    [30 * 3600, "30h"],
    [50 * 3600, "2d2h"],
    [10 * 86400, "10d"],
    [800 * 86400, "2y70d"],
    [9 * 365 * 86400, "9y"],
  ])("%s s -> %s", (seconds, text) => {
    expect(humanDuration(seconds * 1000)).toBe(text);
  });

  it("says <unknown> without a timestamp", () => {
    expect(ageOf(undefined, now)).toBe("<unknown>");
  });
});

describe("pod columns", () => {
  it("counts ready containers against the spec", () => {
    expect(podReady(pod([running("a"), running("b", false)]))).toBe("1/2");
  });

  it("shows the most telling container state as STATUS", () => {
    expect(podStatus(pod([running("a")]))).toBe("Running");
    const waiting = { ...running("b"), ready: false, state: { waiting: { reason: "CrashLoopBackOff" } } };
    expect(podStatus(pod([running("a"), waiting]))).toBe("CrashLoopBackOff");
    const killed = { ...running("a"), state: { terminated: { exitCode: 137, signal: 9 } } };
    expect(podStatus(pod([killed]))).toBe("Signal:9");
    const failed = { ...running("a"), state: { terminated: { exitCode: 2 } } };
    expect(podStatus(pod([failed]))).toBe("ExitCode:2");
    const done = { ...running("b"), state: { terminated: { exitCode: 0, reason: "Completed" } } };
    expect(podStatus(pod([running("a"), done]))).toBe("Running");
    expect(podStatus(pod([running("a")], { metadata: { name: "p", deletionTimestamp: now } }))).toBe(
      "Terminating",
    );
    expect(podStatus({ metadata: { name: "p" }, status: { phase: "Pending" } })).toBe("Pending");
  });

  it("adds when the last restart was to RESTARTS", () => {
    const restarted = {
      ...running("a"),
      restartCount: 3,
      lastState: { terminated: { exitCode: 1, finishedAt: ago(300) } },
    };
    expect(podRestarts(pod([restarted, { ...running("b"), restartCount: 1 }]), now)).toBe("4 (5m ago)");
    expect(podRestarts(pod([running("a")]), now)).toBe("0");
  });

  it("renders the kubectl columns, wide ones at priority 1", () => {
    const table = renderTable(
      podColumns,
      [
        {
          typed: pod([running("a")], { spec: { containers: [{ name: "a" }], nodeName: "n1" } }),
          wire: { metadata: { name: "p" } },
        },
      ],
      { apiVersion: "meta.k8s.io/v1", includeObject: "Metadata", resourceVersion: "7", now },
    );
    const columns = table.columnDefinitions.map((column) => `${column.name}:${column.priority}`);
    expect(columns.join(" ")).toBe(
      "Name:0 Ready:0 Status:0 Restarts:0 Age:0 IP:1 Node:1 Nominated Node:1 Readiness Gates:1",
    );
    expect(table.rows[0]?.cells.join(" ")).toBe("p 1/1 Running 0 60m <none> n1 <none> <none>");
    expect(table.rows[0]?.object).toEqual({
      kind: "PartialObjectMetadata",
      apiVersion: "meta.k8s.io/v1",
      metadata: { name: "p" },
    });
    expect(table.metadata.resourceVersion).toBe("7");
  });
});

describe("node and event columns", () => {
  const node = (labels: Record<string, string>, ready?: string, unschedulable = false): V1Node => ({
    metadata: { name: "n", labels },
    spec: { unschedulable },
    status: { conditions: ready === undefined ? [] : [{ type: "Ready", status: ready }] },
  });

  it("derives STATUS from the Ready condition and cordoning", () => {
    expect(nodeStatus(node({}, "True"))).toBe("Ready");
    expect(nodeStatus(node({}, "Unknown"))).toBe("NotReady");
    expect(nodeStatus(node({}))).toBe("Unknown");
    expect(nodeStatus(node({}, "True", true))).toBe("Ready,SchedulingDisabled");
  });

  it("derives ROLES from role labels", () => {
    expect(
      nodeRoles(node({ "node-role.kubernetes.io/worker": "", "node-role.kubernetes.io/control-plane": "" })),
    ).toBe("control-plane,worker");
    expect(nodeRoles(node({ "kubernetes.io/role": "edge" }))).toBe("edge");
    expect(nodeRoles(node({ app: "x" }))).toBe("<none>");
  });

  it("prints events like kubectl get events", () => {
    const event = {
      metadata: { name: "e" },
      involvedObject: { kind: "Pod", name: "web-1" },
      reason: "CaptureStarted",
      type: "Normal",
      message: "capturing\n",
      count: 3,
      firstTimestamp: ago(600),
      lastTimestamp: ago(30),
    };
    const cells = renderTable(eventColumns, [{ typed: event, wire: {} }], {
      apiVersion: "v",
      includeObject: "None",
      now,
    }).rows[0]?.cells;
    // SUBOBJECT and SOURCE (wide columns) sit between OBJECT and MESSAGE.
    expect(cells?.join(" | ")).toBe(
      "30s (x3 over 10m) | Normal | CaptureStarted | pod/web-1 |  |  | capturing | 10m | 3 | e",
    );
  });
});
