import { describe, expect, it } from "vitest";
import { discoveryDocument } from "../../scripts/labkit/apiserver/discovery.js";
import { negotiate } from "../../scripts/labkit/apiserver/negotiation.js";
import { requestInfo } from "../../scripts/labkit/apiserver/request-info.js";

const info = (method: string, path: string) => requestInfo(method, new URL(path, "https://lab"));

describe("requestInfo", () => {
  it.each([
    ["GET", "/api/v1/pods", { verb: "list", resource: "pods", namespace: "", name: "" }],
    [
      "GET",
      "/api/v1/namespaces/demo/pods?watch=true",
      { verb: "watch", resource: "pods", namespace: "demo" },
    ],
    ["GET", "/api/v1/namespaces/demo/pods?watch=1", { verb: "watch" }],
    ["GET", "/api/v1/namespaces/demo/pods?watch=false", { verb: "list" }],
    ["GET", "/api/v1/namespaces/demo/pods/web-1", { verb: "get", name: "web-1", namespace: "demo" }],
    [
      "POST",
      "/api/v1/namespaces/demo/pods/web-1/exec",
      { verb: "create", resource: "pods", name: "web-1", subresource: "exec" },
    ],
    ["GET", "/api/v1/watch/namespaces/demo/pods", { verb: "watch", resource: "pods", namespace: "demo" }],
    ["GET", "/api/v1/namespaces", { verb: "list", resource: "namespaces", namespace: "" }],
    [
      "GET",
      "/api/v1/namespaces/demo",
      { verb: "get", resource: "namespaces", name: "demo", namespace: "demo" },
    ],
    [
      "PUT",
      "/api/v1/namespaces/demo/status",
      { verb: "update", resource: "namespaces", name: "demo", subresource: "status" },
    ],
    [
      "GET",
      "/apis/apps/v1/namespaces/demo/deployments",
      { verb: "list", group: "apps", version: "v1", resource: "deployments" },
    ],
    ["DELETE", "/api/v1/namespaces/demo/pods", { verb: "deletecollection" }],
    ["DELETE", "/api/v1/namespaces/demo/pods/x", { verb: "delete" }],
    [
      "POST",
      "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
      { verb: "create", group: "authorization.k8s.io" },
    ],
  ])("%s %s", (method, path, expected) => {
    expect(info(method, path)).toMatchObject({ kind: "resource", ...expected });
  });

  it.each([
    ["/api"],
    ["/api/v1"],
    ["/apis"],
    ["/apis/apps"],
    ["/apis/apps/v1"],
    ["/version"],
    ["/openapi/v2"],
  ])("%s is not a resource request", (path) => {
    expect(info("GET", path)).toEqual({ kind: "nonResource", path, verb: "get" });
  });
});

describe("negotiate", () => {
  it("picks kubectl's Table, in the version it asks first", () => {
    const kubectl =
      "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
    expect(negotiate(kubectl)).toEqual({ as: "Table", apiVersion: "meta.k8s.io/v1" });
    expect(negotiate("application/json;as=Table;v=v1beta1;g=meta.k8s.io")).toEqual({
      as: "Table",
      apiVersion: "meta.k8s.io/v1beta1",
    });
  });

  it("falls through to JSON past what it cannot serve", () => {
    expect(negotiate(undefined)).toEqual({ as: "object" });
    expect(negotiate("application/vnd.kubernetes.protobuf,application/json")).toEqual({ as: "object" });
    expect(
      negotiate("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"),
    ).toEqual({ as: "object" });
    expect(negotiate("*/*")).toEqual({ as: "object" });
    expect(negotiate("application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io")).toEqual({
      as: "PartialObjectMetadata",
      apiVersion: "meta.k8s.io/v1",
    });
  });

  it("refuses with 406 when nothing acceptable is offered", () => {
    expect(() => negotiate("application/vnd.kubernetes.protobuf")).toThrow(
      expect.objectContaining({ status: expect.objectContaining({ code: 406 }) }),
    );
    expect(() => negotiate("application/json;as=Table;v=v2;g=meta.k8s.io")).toThrow();
  });
});

describe("discoveryDocument", () => {
  it("describes the groups and versions the lab serves", () => {
    expect(discoveryDocument("/api", "127.0.0.1:6443")).toMatchObject({
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1:6443" }],
    });
    expect(discoveryDocument("/apis/apps", "")).toMatchObject({
      kind: "APIGroup",
      name: "apps",
      preferredVersion: { groupVersion: "apps/v1", version: "v1" },
    });
    const core = discoveryDocument("/api/v1", "") as {
      resources: { name: string; namespaced: boolean; verbs: string[] }[];
    };
    expect(core.resources.find((r) => r.name === "nodes")).toMatchObject({
      namespaced: false,
      verbs: ["get", "list", "watch"],
    });
    expect(core.resources.find((r) => r.name === "pods/exec")).toMatchObject({
      namespaced: true,
      verbs: ["create", "get"],
    });
    expect(core.resources.find((r) => r.name === "events")?.verbs).toContain("create");
  });

  it("knows nothing of other paths", () => {
    for (const path of ["/apis/networking.k8s.io", "/apis/apps/v2", "/api/v2", "/openapi/v2", "/"]) {
      expect(discoveryDocument(path, "")).toBeUndefined();
    }
  });
});
