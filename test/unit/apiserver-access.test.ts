import { describe, expect, it } from "vitest";
import {
  denialReason,
  findUserByToken,
  isAllowed,
  type LabUser,
  type ResourceRequest,
} from "../../scripts/labkit/apiserver/access.js";
import { reviewAccess } from "../../scripts/labkit/apiserver/access-review.js";
import { labUsers } from "../../scripts/labkit/apiserver/lab-users.js";
import { decodeAccessReview } from "../../scripts/labkit/apiserver/protobuf-access-review.js";

const users = labUsers({ admin: "a".repeat(20), viewer: "v".repeat(20), operator: "o".repeat(20) });
const user = (name: string) => users.find((u) => u.username === name) as LabUser;
const ask = (name: string, request: ResourceRequest) => isAllowed(user(name), request);

describe("lab users", () => {
  it.each([
    ["list pods anywhere", { verb: "list", resource: "pods" }, [true, true, true]],
    ["watch nodes", { verb: "watch", resource: "nodes" }, [true, true, true]],
    ["get a namespace", { verb: "get", resource: "namespaces", name: "demo" }, [true, true, true]],
    [
      "exec into a pod",
      { verb: "create", resource: "pods", subresource: "exec", namespace: "demo" },
      [true, false, true],
    ],
    [
      "create a pod named exec",
      { verb: "create", resource: "pods", name: "exec", namespace: "demo" },
      [true, false, false],
    ],
    ["create events", { verb: "create", resource: "events", namespace: "demo" }, [true, false, true]],
    [
      "read pod logs",
      { verb: "get", resource: "pods", subresource: "log", namespace: "demo" },
      [true, false, false],
    ],
    ["delete pods", { verb: "delete", resource: "pods", namespace: "demo" }, [true, false, false]],
    ["list deployments", { verb: "list", group: "apps", resource: "deployments" }, [true, true, true]],
    ["delete deployments", { verb: "delete", group: "apps", resource: "deployments" }, [true, false, false]],
    ["list configmaps", { verb: "list", resource: "configmaps", namespace: "demo" }, [true, false, false]],
    [
      "review own access",
      { verb: "create", group: "authorization.k8s.io", resource: "selfsubjectaccessreviews" },
      [true, true, true],
    ],
  ] satisfies [string, ResourceRequest, boolean[]][])("%s: admin/viewer/operator", (_, request, expected) => {
    expect(["admin", "viewer", "operator"].map((name) => ask(name, request))).toEqual(expected);
  });

  it("gives each user a distinct random token unless told", () => {
    const fresh = labUsers();
    expect(new Set(fresh.map((u) => u.token)).size).toBe(3);
    expect(fresh.every((u) => /^[0-9a-f]{64}$/.test(u.token))).toBe(true);
  });
});

describe("rules", () => {
  const scoped: LabUser = {
    username: "dev",
    token: "t",
    rules: [{ verbs: ["get"], resources: ["pods/*"], apiGroups: [""], namespaces: ["demo"] }],
  };

  it("limits a rule to its namespaces and matches subresource wildcards", () => {
    expect(isAllowed(scoped, { verb: "get", resource: "pods", subresource: "log", namespace: "demo" })).toBe(
      true,
    );
    expect(isAllowed(scoped, { verb: "get", resource: "pods", subresource: "log", namespace: "tools" })).toBe(
      false,
    );
    expect(isAllowed(scoped, { verb: "get", resource: "pods", subresource: "log" })).toBe(false);
    expect(isAllowed(scoped, { verb: "get", resource: "pods", namespace: "demo" })).toBe(false);
    expect(
      isAllowed(scoped, {
        verb: "get",
        group: "apps",
        resource: "pods",
        subresource: "x",
        namespace: "demo",
      }),
    ).toBe(false);
  });

  it("words refusals like kube-apiserver", () => {
    expect(
      denialReason(user("viewer"), { verb: "list", resource: "pods", group: "", namespace: "demo" }),
    ).toBe('User "viewer" cannot list resource "pods" in API group "" in the namespace "demo"');
    expect(
      denialReason(user("viewer"), { verb: "create", resource: "pods", subresource: "exec", group: "" }),
    ).toBe('User "viewer" cannot create resource "pods/exec" in API group "" at the cluster scope');
  });

  it("finds users by bearer token only", () => {
    expect(findUserByToken(users, `Bearer ${"v".repeat(20)}`)?.username).toBe("viewer");
    expect(findUserByToken(users, `bearer ${"o".repeat(20)} `)?.username).toBe("operator");
    expect(findUserByToken(users, `Basic ${"v".repeat(20)}`)).toBeUndefined();
    expect(findUserByToken(users, "Bearer nope")).toBeUndefined();
    expect(findUserByToken(users, undefined)).toBeUndefined();
  });
});

describe("self subject access reviews", () => {
  // What kubectl 1.32 sends for `auth can-i create pods --subresource=exec -n demo`, captured.
  const kubectlProtobuf = Buffer.from(
    "6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c66537562" +
      "6a65637441636365737352657669657712400a100a0012001a0022002a0032003800420012220a20" +
      "0a0464656d6f12066372656174651a0022002a04706f64733204657865633a001a08080012001a00" +
      "20001a002200",
    "hex",
  );

  it("decodes kubectl's protobuf review", () => {
    expect(decodeAccessReview(kubectlProtobuf)).toEqual({
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      spec: {
        resourceAttributes: {
          namespace: "demo",
          verb: "create",
          group: "",
          version: "",
          resource: "pods",
          subresource: "exec",
          name: "",
        },
        nonResourceAttributes: undefined,
      },
    });
    expect(() => decodeAccessReview(Buffer.from("{}"))).toThrow("k8s envelope");
    expect(() => decodeAccessReview(kubectlProtobuf.subarray(0, 40))).toThrow("truncated");
  });

  it("answers from the user's rules, resource and non-resource", () => {
    const review = (attributes: object) => ({
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      spec: attributes,
    });
    const exec = review({
      resourceAttributes: { namespace: "demo", verb: "create", resource: "pods", subresource: "exec" },
    });
    expect(reviewAccess(user("operator"), exec).status).toEqual({ allowed: true });
    expect(reviewAccess(user("viewer"), exec).status).toEqual({ allowed: false });
    expect(reviewAccess(user("viewer"), decodeAccessReview(kubectlProtobuf)).status).toEqual({
      allowed: false,
    });
    const version = review({ nonResourceAttributes: { path: "/version", verb: "get" } });
    expect(reviewAccess(user("viewer"), version).status).toEqual({ allowed: true });
    expect(() => reviewAccess(user("viewer"), review({}))).toThrow("exactly one of");
  });
});
