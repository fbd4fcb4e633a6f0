// The picker's pod table and container list, from V1Pod objects as the API serves them.

import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { containerChoices, onlyContainer } from "../../src/ui/picker/container-choices.js";
import { podTable } from "../../src/ui/picker/pod-choices.js";
import { humanAge, podRow } from "../../src/ui/picker/pod-rows.js";

const now = new Date("2026-01-02T03:04:05Z");
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const running = (name: string, ready = true) => ({
  name,
  image: "x",
  imageID: "",
  ready,
  restartCount: 0,
  containerID: `docker://${name}id`,
  state: { running: { startedAt: minutesAgo(5) } },
});

function pod(
  name: string,
  changes: {
    phase?: string;
    node?: string;
    statuses?: object[];
    containers?: string[];
    annotations?: Record<string, string>;
  } = {},
): V1Pod {
  const containers = changes.containers ?? ["main"];
  return {
    metadata: {
      name,
      namespace: "demo",
      creationTimestamp: minutesAgo(42),
      annotations: changes.annotations,
    },
    spec: { nodeName: changes.node ?? "node-a", containers: containers.map((c) => ({ name: c })) },
    status: {
      phase: changes.phase ?? "Running",
      podIP: "10.244.1.10",
      containerStatuses: (changes.statuses ?? containers.map((c) => running(c))) as never,
    },
  } as V1Pod;
}

describe("podRow", () => {
  it("reads like kubectl get pods -o wide", () => {
    expect(podRow(pod("web-1"), now)).toEqual({
      name: "web-1",
      ready: "1/1",
      status: "Running",
      restarts: 0,
      age: "42m",
      ip: "10.244.1.10",
      node: "node-a",
      unavailable: undefined,
    });
  });

  it("says why a pod cannot be captured", () => {
    const completed = pod("job-x", {
      phase: "Succeeded",
      statuses: [
        {
          name: "main",
          ready: false,
          restartCount: 0,
          image: "",
          imageID: "",
          state: { terminated: { exitCode: 0, reason: "Completed" } },
        },
      ],
    });
    expect(podRow(completed, now)).toMatchObject({
      status: "Completed",
      unavailable: "Completed: not running",
    });
    expect(podRow(pod("pending", { phase: "Pending", node: "" }), now).unavailable).toBe(
      "not scheduled on a node",
    );
    const crashing = pod("crash", {
      statuses: [
        {
          name: "main",
          ready: false,
          restartCount: 4,
          image: "",
          imageID: "",
          state: { waiting: { reason: "CrashLoopBackOff" } },
        },
      ],
    });
    expect(podRow(crashing, now)).toMatchObject({
      status: "CrashLoopBackOff",
      restarts: 4,
      unavailable: "no container is running",
    });
  });

  it("formats ages as kubectl does", () => {
    expect(
      [5e3, 150e3, 42 * 60e3, 5 * 3600e3 + 20 * 60e3, 30 * 3600e3, 3 * 86400e3 + 3600e3, 40 * 86400e3].map(
        humanAge,
      ),
    ).toEqual(["5s", "2m30s", "42m", "5h20m", "30h", "3d1h", "40d"]);
  });
});

describe("podTable", () => {
  const rows = [podRow(pod("web-1"), now), podRow(pod("db-0", { phase: "Pending", node: "" }), now)];

  it("aligns the columns under a header and disables what cannot be captured", () => {
    const table = podTable(rows, undefined);
    expect(table.header).toMatch(/^ NAME +READY +STATUS +RESTARTS +AGE +IP +NODE$/);
    expect(table.choices.map((c) => c.value)).toEqual(["web-1", "db-0"]);
    expect(table.choices[0]?.disabled).toBeUndefined();
    expect(table.choices[1]?.disabled).toBe("(not scheduled on a node)");
    // The header's columns start where the entries' do (after the list's cursor column).
    expect(table.header.indexOf("READY") + 1).toBe(`  ${table.choices[0]?.name}`.indexOf("1/1"));
  });

  it("narrows to what the term matches in the name, node, status or IP", () => {
    expect(podTable(rows, "web").choices.map((c) => c.value)).toEqual(["web-1"]);
    expect(podTable(rows, "PENDING").choices.map((c) => c.value)).toEqual(["db-0"]);
    expect(podTable(rows, "node-a").choices.map((c) => c.value)).toEqual(["web-1"]);
  });

  it("shows hostile names escaped", () => {
    const table = podTable([podRow(pod("evil\u001b[2J"), now)], undefined);
    expect(table.choices[0]?.name).not.toContain("\u001b");
  });
});

describe("containerChoices", () => {
  it("preselects podcap's default and marks sidecars", () => {
    const meshed = pod("meshed", { containers: ["istio-proxy", "app"] });
    const { choices, preselected } = containerChoices(meshed);
    expect(preselected).toBe("app");
    expect(choices.map((c) => c.name)).toEqual(["istio-proxy  (sidecar)", "app  (default)"]);
  });

  it("disables containers that are not running and preselects one that is", () => {
    const halfDown = pod("db-0", {
      containers: ["postgres", "metrics"],
      statuses: [
        {
          name: "postgres",
          ready: false,
          restartCount: 1,
          image: "",
          imageID: "",
          state: { waiting: { reason: "CrashLoopBackOff" } },
        },
        running("metrics"),
      ],
    });
    const { choices, preselected } = containerChoices(halfDown);
    expect(choices[0]?.disabled).toBe("not running");
    expect(preselected).toBe("metrics");
  });

  it("takes the only container without asking", () => {
    expect(onlyContainer(pod("web-1"))).toBe("main");
    expect(onlyContainer(pod("db-0", { containers: ["a", "b"] }))).toBeUndefined();
  });
});
