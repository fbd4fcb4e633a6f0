// The REST protocol below kubectl: Status bodies and codes, discovery documents, content
// negotiation, event creation rules, and the watch stream's resume and expiry semantics.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixturePods, fixtureSnapshot, relabeled } from "./fixture.js";
import { eventually, type Lab, startLab } from "./harness.js";
import { call, openWatch } from "./https-client.js";

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ historyLimit: 20 });
});
afterAll(async () => {
  await lab.stop();
});

const tableAccept =
  "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
const aggregatedAccept =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

describe("errors are Status objects", () => {
  it("401 without a valid token", async () => {
    const reply = await call(lab, "/api/v1/pods", { token: "nope" });
    expect(reply).toEqual({
      status: 401,
      body: {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: "Unauthorized",
        reason: "Unauthorized",
        code: 401,
      },
    });
  });

  it("404 for unknown paths and for cluster-scoped resources under a namespace", async () => {
    for (const path of ["/apis/nope/v1", "/api/v1/namespaces/demo/nodes", "/api/v1/widgets", "/metrics"]) {
      const reply = await call(lab, path);
      expect([path, reply.status, reply.body.reason]).toEqual([path, 404, "NotFound"]);
    }
  });

  it("403 with the apiserver's wording, 405 for exec", async () => {
    const forbidden = await call(lab, "/api/v1/namespaces/demo/pods/web-1/exec?command=sh", {
      user: "viewer",
      method: "POST",
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toBe(
      'pods "web-1" is forbidden: User "viewer" cannot create resource "pods/exec" in API group "" in the namespace "demo"',
    );
    const notServed = await call(lab, "/api/v1/namespaces/demo/pods/web-1/exec?command=sh", {
      user: "operator",
      method: "POST",
    });
    expect([notServed.status, notServed.body.reason]).toEqual([405, "MethodNotAllowed"]);
  });
});

describe("discovery", () => {
  it("answers aggregated-discovery requests with legacy documents kubectl falls back from", async () => {
    const apis = await call(lab, "/apis", { accept: aggregatedAccept });
    expect(apis.body.kind).toBe("APIGroupList");
    const groups = (apis.body.groups as { name: string }[]).map((group) => group.name);
    expect(groups).toEqual(expect.arrayContaining(["apps", "authorization.k8s.io"]));
    expect((await call(lab, "/api", { accept: aggregatedAccept })).body).toMatchObject({
      kind: "APIVersions",
      versions: ["v1"],
    });
  });

  it("lists core resources with their subresources, and the apps and authorization groups", async () => {
    const names = async (path: string) =>
      ((await call(lab, path)).body.resources as { name: string }[]).map((resource) => resource.name);
    expect(await names("/api/v1")).toEqual(
      expect.arrayContaining([
        "pods",
        "pods/exec",
        "pods/log",
        "nodes",
        "namespaces",
        "events",
        "services",
        "endpoints",
      ]),
    );
    expect(await names("/apis/apps/v1")).toEqual([
      "deployments",
      "statefulsets",
      "daemonsets",
      "replicasets",
    ]);
    expect(await names("/apis/authorization.k8s.io/v1")).toEqual(["selfsubjectaccessreviews"]);
    expect((await call(lab, "/version")).body.gitVersion).toMatch(/^v1\.32\./);
  });
});

describe("workload discovery and lists", () => {
  const shortNames = async (path: string) =>
    Object.fromEntries(
      ((await call(lab, path)).body.resources as { name: string; shortNames?: string[] }[]).map((r) => [
        r.name,
        r.shortNames ?? [],
      ]),
    );

  it("advertises workloads and services in their groups, with kubectl's short names", async () => {
    expect(await shortNames("/api/v1")).toMatchObject({ pods: ["po"], services: ["svc"], endpoints: ["ep"] });
    expect(await shortNames("/apis/apps/v1")).toEqual({
      deployments: ["deploy"],
      statefulsets: ["sts"],
      daemonsets: ["ds"],
      replicasets: ["rs"],
    });
    expect(await shortNames("/apis/batch/v1")).toEqual({ jobs: [] });
    expect(await shortNames("/apis/discovery.k8s.io/v1")).toEqual({ endpointslices: [] });
    const groups = ((await call(lab, "/apis")).body.groups as { name: string }[]).map((group) => group.name);
    expect(groups).toEqual(["apps", "batch", "discovery.k8s.io", "authorization.k8s.io"]);
  });

  it("lists workloads as typed lists, across namespaces or by field, and 404s a missing one", async () => {
    const all = await call(lab, "/apis/apps/v1/deployments");
    expect(all.body).toMatchObject({ kind: "DeploymentList", apiVersion: "apps/v1" });
    expect(all.body.items).toMatchObject([
      { kind: "Deployment", metadata: { name: "web" }, status: { replicas: 2 } },
    ]);
    const byName = await call(
      lab,
      "/apis/apps/v1/namespaces/demo/statefulsets?fieldSelector=metadata.name%3Dnope",
    );
    expect(byName.body.items).toEqual([]);
    const missing = await call(lab, "/apis/apps/v1/namespaces/demo/daemonsets/nope");
    expect([missing.status, missing.body.message]).toEqual([404, 'daemonsets.apps "nope" not found']);
  });
});

describe("representations", () => {
  it("gives kubectl a Table with metadata-only row objects by default", async () => {
    const reply = await call(lab, "/api/v1/namespaces/demo/pods?labelSelector=app%3Dweb", {
      accept: tableAccept,
    });
    expect(reply.body).toMatchObject({ kind: "Table", apiVersion: "meta.k8s.io/v1" });
    const rows = reply.body.rows as { cells: unknown[]; object: Record<string, unknown> }[];
    expect(rows.map((row) => row.cells.slice(0, 3))).toEqual([
      ["web-1", "1/1", "Running"],
      ["web-2", "1/1", "Running"],
    ]);
    expect(rows[0]?.object).toMatchObject({
      kind: "PartialObjectMetadata",
      metadata: { name: "web-1", namespace: "demo" },
    });
    expect(rows[0]?.object).not.toHaveProperty("spec");
  });

  it("puts whole objects in rows with includeObject=Object and none with None", async () => {
    const whole = await call(lab, "/api/v1/nodes?includeObject=Object", { accept: tableAccept });
    expect((whole.body.rows as { object: { kind: string } }[])[0]?.object.kind).toBe("Node");
    const none = await call(lab, "/api/v1/nodes?includeObject=None", { accept: tableAccept });
    expect((none.body.rows as object[])[0]).not.toHaveProperty("object");
  });

  it("gives plain lists with a resourceVersion otherwise, and 406 for protobuf only", async () => {
    const list = await call(lab, "/api/v1/pods");
    expect(list.body).toMatchObject({
      kind: "PodList",
      apiVersion: "v1",
      metadata: { resourceVersion: expect.stringMatching(/^\d+$/) },
    });
    expect(list.body.items).toHaveLength(fixturePods.length);
    expect((await call(lab, "/api/v1/pods", { accept: "application/vnd.kubernetes.protobuf" })).status).toBe(
      406,
    );
  });
});

describe("creating events", () => {
  const event = (namespace?: string) => ({
    metadata: { name: "e1", namespace },
    involvedObject: { kind: "Pod", name: "web-1", namespace: "demo" },
    reason: "Test",
  });
  const post = (body: object) => call(lab, "/api/v1/namespaces/demo/events", { method: "POST", body });

  it("stores a valid event once and refuses a second with the same name", async () => {
    const created = await post(event());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: "Event",
      apiVersion: "v1",
      metadata: { name: "e1", namespace: "demo" },
    });
    expect((await post(event())).body.reason).toBe("AlreadyExists");
  });

  it("refuses a namespace mismatch and an event about nothing", async () => {
    expect((await post(event("tools"))).status).toBe(400);
    expect((await post({ metadata: { name: "e2" }, reason: "Test" })).status).toBe(422);
  });
});

describe("watch", () => {
  const podNames = (events: { object: { metadata?: { name?: string } } }[]) =>
    events.map((e) => e.object.metadata?.name);

  it("starts with ADDED for what exists, then follows changes through a label selector", async () => {
    const watch = await openWatch(lab, "/api/v1/namespaces/demo/pods?watch=true&labelSelector=app%3Dweb");
    await eventually(() => watch.events.length === 2);
    expect(watch.events.map((e) => e.type)).toEqual(["ADDED", "ADDED"]);

    const snapshot = fixtureSnapshot(
      relabeled({
        "web-1": { app: "old-web" }, // leaves the selector: DELETED for this watcher
        "client-1": { app: "web" }, // enters it: ADDED
        "web-2": { version: "2" }, // stays in: MODIFIED
      }),
    );
    await lab.writeCluster(snapshot);
    await eventually(() => watch.events.length === 5);
    const changes = watch.events.slice(2).map((e) => [e.type, e.object.metadata?.name]);
    expect(changes).toEqual(
      expect.arrayContaining([
        ["DELETED", "web-1"],
        ["ADDED", "client-1"],
        ["MODIFIED", "web-2"],
      ]),
    );
    watch.close();
    await lab.writeCluster(fixtureSnapshot());
  });

  it("resumes after a resourceVersion with only the later changes", async () => {
    await lab.server.store.refresh();
    const since = (await call(lab, "/api/v1/pods")).body.metadata as { resourceVersion: string };
    const snapshot = fixtureSnapshot(fixturePods.filter((pod) => pod.name !== "toolbox"));
    await lab.writeCluster(snapshot);
    await lab.server.store.refresh();
    const watch = await openWatch(lab, `/api/v1/pods?watch=true&resourceVersion=${since.resourceVersion}`);
    await eventually(() => watch.events.length === 1);
    expect(watch.events[0]).toMatchObject({
      type: "DELETED",
      object: { metadata: { name: "toolbox", namespace: "tools" } },
    });
    expect(podNames(watch.events)).toEqual(["toolbox"]);
    watch.close();
  });

  it("reports a resourceVersion older than its history as 410 Expired inside the stream", async () => {
    // historyLimit is 20: a few rounds of changes push resourceVersion 1 out of it.
    for (let round = 0; round < 4; round++) {
      const everyPod = Object.fromEntries(fixturePods.map((pod) => [pod.name, { round: String(round) }]));
      await lab.writeCluster(fixtureSnapshot(relabeled(everyPod)));
      await lab.server.store.refresh();
    }
    const watch = await openWatch(lab, "/api/v1/pods?watch=true&resourceVersion=1");
    await watch.ended;
    expect(watch.events).toEqual([
      { type: "ERROR", object: expect.objectContaining({ kind: "Status", code: 410, reason: "Expired" }) },
    ]);
  });

  it("ends the stream after timeoutSeconds and sends tables with column definitions once", async () => {
    const started = Date.now();
    const watch = await openWatch(lab, "/api/v1/nodes?watch=true&timeoutSeconds=1", { accept: tableAccept });
    await watch.ended;
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(watch.events.map((e) => e.object.kind)).toEqual(["Table", "Table", "Table"]);
    expect(watch.events.map((e) => e.object.columnDefinitions?.length ?? 0)).toEqual([10, 0, 0]);
    expect(watch.events.map((e) => e.object.rows?.[0]?.cells[0])).toEqual([
      "lab-node-1",
      "lab-node-2",
      "lab-node-3",
    ]);
  });
});
