import type { V1Node, V1Pod, V1Service } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { reconcile } from "../../scripts/labkit/apiserver/controllers.js";
import { serviceEndpoints } from "../../scripts/labkit/apiserver/service-endpoints.js";
import {
  controlledBy,
  daemonSetStatus,
  deploymentStatus,
  jobStatus,
  replicaSetStatus,
} from "../../scripts/labkit/apiserver/workload-status.js";

const owner = (kind: string, uid: string) => ({
  apiVersion: "apps/v1",
  kind,
  name: uid,
  uid,
  controller: true,
});

interface PodOptions {
  ownerUid?: string;
  labels?: Record<string, string>;
  ip?: string;
  node?: string;
  ready?: boolean;
  phase?: string;
  deleting?: boolean;
  ports?: { name: string; containerPort: number }[];
}

function pod(name: string, options: PodOptions = {}): V1Pod {
  return {
    metadata: {
      name,
      namespace: "demo",
      uid: `uid-${name}`,
      labels: options.labels,
      ownerReferences: options.ownerUid ? [owner("ReplicaSet", options.ownerUid)] : undefined,
      deletionTimestamp: options.deleting ? new Date() : undefined,
    },
    spec: { nodeName: options.node ?? "n1", containers: [{ name: "main", ports: options.ports }] },
    status: {
      phase: options.phase ?? "Running",
      podIP: options.ip,
      conditions: [{ type: "Ready", status: options.ready === false ? "False" : "True" }],
    },
  };
}

const meta = (name: string, uid = name) => ({ name, namespace: "demo", uid });
const selector = { matchLabels: {} };
const template = { spec: { containers: [] } };

describe("workload status", () => {
  it("counts the pods a workload controls by uid, not by name or namespace", () => {
    const rs = { metadata: meta("web-1a", "rs-uid") };
    const mine = pod("a", { ownerUid: "rs-uid" });
    const elsewhere = {
      ...pod("b", { ownerUid: "rs-uid" }),
      metadata: { ...mine.metadata, namespace: "other" },
    };
    const namedAlike = pod("c", { ownerUid: "web-1a" });
    expect(controlledBy(rs, [mine, elsewhere, namedAlike]).map((p) => p.metadata?.name)).toEqual(["a"]);
  });

  it("gives a ReplicaSet its active and ready pods; finished and deleted pods do not count", () => {
    const rs = { metadata: meta("rs"), spec: { selector, replicas: 3 } };
    const pods = [
      pod("ready", { ownerUid: "rs" }),
      pod("unready", { ownerUid: "rs", ready: false }),
      pod("done", { ownerUid: "rs", phase: "Succeeded" }),
      pod("leaving", { ownerUid: "rs", deleting: true }),
    ];
    expect(replicaSetStatus(rs, pods).status).toMatchObject({
      replicas: 2,
      readyReplicas: 1,
      availableReplicas: 1,
    });
  });

  it("sums a Deployment's ReplicaSets and counts only the newest revision as updated", () => {
    const deployment = { metadata: meta("web"), spec: { replicas: 4, selector, template } };
    const rs = (name: string, revision: string, pods: number, ready: number) => ({
      metadata: {
        ...meta(name),
        annotations: { "deployment.kubernetes.io/revision": revision },
        ownerReferences: [owner("Deployment", "web")],
      },
      status: { replicas: pods, readyReplicas: ready, availableReplicas: ready },
    });
    const status = deploymentStatus(deployment, [rs("old", "1", 2, 2), rs("new", "2", 2, 1)]).status;
    expect(status).toMatchObject({
      replicas: 4,
      updatedReplicas: 2,
      readyReplicas: 3,
      unavailableReplicas: 1,
    });
    // 25% of 4 may be unavailable: 3 available is enough, 2 is not.
    expect(status?.conditions?.[0]).toMatchObject({ type: "Available", status: "True" });
    const short = deploymentStatus(deployment, [rs("old", "1", 2, 1), rs("new", "2", 2, 1)]).status;
    expect(short?.conditions?.[0]).toMatchObject({ status: "False", reason: "MinimumReplicasUnavailable" });
  });

  it("wants a DaemonSet pod on each node its nodeSelector allows, and tells misscheduled ones", () => {
    const node = (name: string, labels: Record<string, string>): V1Node => ({ metadata: { name, labels } });
    const nodes = [node("n1", { disk: "ssd" }), node("n2", { disk: "ssd" }), node("n3", {})];
    const ds = {
      metadata: meta("agent"),
      spec: { selector, template: { spec: { containers: [], nodeSelector: { disk: "ssd" } } } },
    };
    const pods = [
      pod("on-n1", { ownerUid: "agent", node: "n1" }),
      pod("on-n3", { ownerUid: "agent", node: "n3", ready: false }),
    ];
    expect(daemonSetStatus(ds, pods, nodes).status).toMatchObject({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 1,
      numberMisscheduled: 1,
      numberReady: 1,
      numberUnavailable: 1,
    });
  });

  it("completes a Job when enough pods succeeded and fails it past its backoff limit", () => {
    const job = (completions: number) => ({
      metadata: meta("job"),
      spec: { completions, backoffLimit: 1, template },
    });
    const succeeded = pod("ok", { ownerUid: "job", phase: "Succeeded" });
    const failed = ["f1", "f2"].map((name) => pod(name, { ownerUid: "job", phase: "Failed" }));
    const conditions = (completions: number, pods: V1Pod[]) =>
      jobStatus(job(completions), pods).status?.conditions?.map((c) => c.type);
    expect(conditions(1, [succeeded])).toEqual(["SuccessCriteriaMet", "Complete"]);
    expect(conditions(2, [succeeded])).toBeUndefined();
    expect(conditions(2, [succeeded, ...failed])).toEqual(["FailureTarget", "Failed"]);
    expect(jobStatus(job(1), [succeeded, ...failed]).status).toMatchObject({
      succeeded: 1,
      failed: 2,
      active: 0,
    });
  });
});

describe("service endpoints", () => {
  const service = (name: string, spec: V1Service["spec"]): V1Service => ({
    metadata: { name, namespace: "demo", uid: `svc-${name}` },
    spec,
  });
  const web = service("web", {
    selector: { app: "web" },
    ports: [
      { name: "http", port: 80, targetPort: "http" },
      { name: "metrics", port: 9090 },
    ],
  });
  const webPod = (name: string, ip: string | undefined, options: PodOptions = {}) =>
    pod(name, { labels: { app: "web" }, ip, ports: [{ name: "http", containerPort: 8080 }], ...options });

  it("lists ready pods as addresses and others as not ready, at each port's target", () => {
    const { endpoints, endpointslices } = serviceEndpoints(
      [web],
      [
        webPod("b", "10.0.0.2", { ready: false }),
        webPod("a", "10.0.0.1"),
        webPod("no-ip", undefined),
        pod("other"),
      ],
      [],
    );
    expect(endpoints).toHaveLength(1);
    const [subset] = endpoints[0]?.subsets ?? [];
    expect(subset?.addresses?.map((a) => a.ip)).toEqual(["10.0.0.1"]);
    expect(subset?.notReadyAddresses?.map((a) => [a.ip, a.targetRef?.name])).toEqual([["10.0.0.2", "b"]]);
    expect(subset?.ports).toEqual([
      { name: "http", port: 8080, protocol: "TCP" },
      { name: "metrics", port: 9090, protocol: "TCP" },
    ]);
    expect(endpointslices[0]?.endpoints.map((e) => [e.addresses[0], e.conditions?.ready])).toEqual([
      ["10.0.0.1", true],
      ["10.0.0.2", false],
    ]);
    expect(endpointslices[0]?.metadata?.labels).toMatchObject({ "kubernetes.io/service-name": "web" });
  });

  it("splits pods that serve different ports, and leaves out a named port a pod lacks", () => {
    const { endpoints, endpointslices } = serviceEndpoints(
      [web],
      [webPod("a", "10.0.0.1"), webPod("unnamed", "10.0.0.3", { ports: [] })],
      [],
    );
    expect(endpoints[0]?.subsets?.map((s) => [s.addresses?.[0]?.ip, s.ports?.map((p) => p.port)])).toEqual([
      ["10.0.0.1", [8080, 9090]],
      ["10.0.0.3", [9090]],
    ]);
    expect(new Set(endpointslices.map((slice) => slice.metadata?.name)).size).toBe(2);
  });

  it("keeps a source's endpoints for services without a selector, and gives a backless one a placeholder slice", () => {
    const handWritten = { metadata: { name: "legacy", namespace: "demo" }, subsets: [] };
    const computedOver = { metadata: { name: "web", namespace: "demo" }, subsets: [] };
    const external = service("ext", {
      type: "ExternalName",
      externalName: "example.org",
      selector: { app: "x" },
    });
    const { endpoints, endpointslices } = serviceEndpoints(
      [web, service("legacy", { ports: [{ port: 5432 }] }), external],
      [],
      [handWritten, computedOver],
    );
    expect(endpoints.map((e) => [e.metadata?.name, e.subsets])).toEqual([
      ["legacy", []],
      ["web", []],
    ]);
    expect(endpointslices.map((s) => [s.metadata?.name?.startsWith("web-"), s.endpoints, s.ports])).toEqual([
      [true, [], undefined],
    ]);
  });

  it("gives the same objects for the same cluster, so polls see no change", () => {
    const snapshot = { namespaces: [], nodes: [], pods: [webPod("a", "10.0.0.1")], services: [web] };
    expect(JSON.stringify(reconcile(snapshot))).toBe(JSON.stringify(reconcile(structuredClone(snapshot))));
  });
});
