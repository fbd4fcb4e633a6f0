import type { V1Endpoints, V1Job, V1Service } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { formatLabelSelector, formatLabels } from "../../scripts/labkit/apiserver/label-selector-objects.js";
import {
  endpointSliceColumns,
  endpointsColumns,
  serviceColumns,
} from "../../scripts/labkit/apiserver/service-columns.js";
import { renderTable, type TableColumn } from "../../scripts/labkit/apiserver/table.js";
import { deploymentColumns, jobColumns } from "../../scripts/labkit/apiserver/workload-columns.js";

const now = new Date("2025-06-01T12:00:00Z");
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

/** The cells of one object's row, wide columns included. */
function cells<T>(columns: TableColumn<T>[], object: T): Record<string, string | number> {
  const row = renderTable(columns, [{ typed: object, wire: {} }], {
    apiVersion: "v",
    includeObject: "None",
    now,
  });
  return Object.fromEntries(columns.map((column, i) => [column.name, row.rows[0]?.cells[i] ?? ""]));
}

describe("selectors as text", () => {
  it("sorts requirements by key, sets by value, and says <none> for nothing", () => {
    expect(
      formatLabelSelector({
        matchLabels: { tier: "web", app: "shop" },
        matchExpressions: [
          { key: "env", operator: "In", values: ["prod", "dev"] },
          { key: "canary", operator: "DoesNotExist" },
          { key: "zone", operator: "Exists" },
        ],
      }),
    ).toBe("app=shop,!canary,env in (dev,prod),tier=web,zone");
    expect(formatLabelSelector(undefined)).toBe("<none>");
    expect(formatLabels({ b: "2", a: "1" })).toBe("a=1,b=2");
    expect(formatLabels({})).toBe("<none>");
  });
});

describe("service columns", () => {
  const service = (spec: V1Service["spec"], status?: V1Service["status"]): V1Service => ({
    metadata: { name: "s", creationTimestamp: ago(90) },
    spec,
    status,
  });

  it("prints ports with node ports and protocols, and the address clients outside use", () => {
    expect(
      cells(
        serviceColumns,
        service({
          type: "NodePort",
          clusterIPs: ["10.96.0.5"],
          ports: [
            { port: 80, nodePort: 30080 },
            { port: 53, protocol: "UDP" },
          ],
        }),
      ),
    ).toMatchObject({
      Type: "NodePort",
      "Cluster-IP": "10.96.0.5",
      "External-IP": "<none>",
      "Port(s)": "80:30080/TCP,53/UDP",
    });
    expect(cells(serviceColumns, service({ type: "LoadBalancer" }))["External-IP"]).toBe("<pending>");
    const balanced = service(
      { type: "LoadBalancer", externalIPs: ["1.2.3.4"] },
      { loadBalancer: { ingress: [{ ip: "5.6.7.8" }] } },
    );
    expect(cells(serviceColumns, balanced)["External-IP"]).toBe("5.6.7.8,1.2.3.4");
    const external = cells(serviceColumns, service({ type: "ExternalName", externalName: "db.example.org" }));
    expect(external).toMatchObject({
      "Cluster-IP": "<none>",
      "External-IP": "db.example.org",
      "Port(s)": "<none>",
    });
  });

  it("shows three endpoints and how many more, bare addresses without ports, <none> without subsets", () => {
    const endpoints = (subsets: V1Endpoints["subsets"]): V1Endpoints => ({
      metadata: { name: "e" },
      subsets,
    });
    const addresses = ["10.0.0.1", "10.0.0.2", "10.0.0.3"].map((ip) => ({ ip }));
    const twoPorts = endpoints([{ addresses, ports: [{ port: 80 }, { port: 443 }] }]);
    expect(cells(endpointsColumns, twoPorts).Endpoints).toBe(
      "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 3 more...",
    );
    expect(cells(endpointsColumns, endpoints([{ addresses: addresses.slice(0, 2) }])).Endpoints).toBe(
      "10.0.0.1,10.0.0.2",
    );
    expect(cells(endpointsColumns, endpoints([])).Endpoints).toBe("<none>");
    expect(
      cells(endpointsColumns, endpoints([{ notReadyAddresses: addresses, ports: [{ port: 80 }] }])).Endpoints,
    ).toBe("");
    const empty = cells(endpointSliceColumns, {
      metadata: { name: "e-x" },
      addressType: "IPv4",
      endpoints: [],
    });
    expect([empty.Ports, empty.Endpoints]).toEqual(["<unset>", "<unset>"]);
  });
});

describe("workload columns", () => {
  it("reads a Deployment's READY against spec.replicas, 1 when left out", () => {
    const deployment = {
      metadata: { name: "d" },
      spec: { selector: {}, template: {} },
      status: { readyReplicas: 1 },
    };
    expect(cells(deploymentColumns, deployment)).toMatchObject({
      Ready: "1/1",
      "Up-to-date": 0,
      Selector: "<none>",
    });
  });

  it("prints a Job's status, completions and duration, running or done", () => {
    const job = (spec: Partial<NonNullable<V1Job["spec"]>>, status: V1Job["status"]): V1Job => ({
      metadata: { name: "j" },
      spec: { template: {}, ...spec },
      status,
    });
    const done = job(
      { completions: 3 },
      {
        succeeded: 3,
        startTime: ago(600),
        completionTime: ago(450),
        conditions: [{ type: "Complete", status: "True" }],
      },
    );
    expect(cells(jobColumns, done)).toMatchObject({
      Status: "Complete",
      Completions: "3/3",
      Duration: "2m30s",
    });
    const running = job({ parallelism: 2 }, { succeeded: 0, startTime: ago(30) });
    expect(cells(jobColumns, running)).toMatchObject({
      Status: "Running",
      Completions: "0/1 of 2",
      Duration: "30s",
    });
    expect(cells(jobColumns, job({}, {}))).toMatchObject({ Completions: "0/1", Duration: "" });
  });
});
