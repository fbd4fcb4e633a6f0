import { describe, expect, it } from "vitest";
import { ExitCode, UsageError } from "../../src/errors.js";
import { assertSelector, selectorString } from "../../src/kube/label-selector.js";
import { describeRef, parseTargetRef } from "../../src/kube/target-ref.js";

function refusal(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(ExitCode.usage);
    return error as UsageError;
  }
  throw new Error("expected a UsageError");
}

describe("parseTargetRef", () => {
  it.each([
    ["web-1", "pod", "web-1"],
    ["pod/web-1", "pod", "web-1"],
    ["po/web-1", "pod", "web-1"],
    ["deploy/web", "deployment", "web"],
    ["deployments/web", "deployment", "web"],
    ["deployment.apps/web", "deployment", "web"],
    ["sts/db", "statefulset", "db"],
    ["ds/agent", "daemonset", "agent"],
    ["rs/web-6b7f9d8c5", "replicaset", "web-6b7f9d8c5"],
    ["job/migrate", "job", "migrate"],
    ["jobs.batch/migrate", "job", "migrate"],
    ["svc/web", "service", "web"],
    ["Service/web", "service", "web"],
  ])("reads %s as kubectl does", (text, kind, name) => {
    expect(parseTargetRef(text)).toEqual({ kind, name });
  });

  it.each([
    "configmap/web",
    "node/node-a",
    "deploy/",
    "deploy/Web",
    "svc/web;id",
    "deploy/-rf",
    "deploy/web/x",
    "$(id)/web",
    "web\n1",
  ])("refuses %j with a hint", (text) => {
    const error = refusal(() => parseTargetRef(text));
    expect(error.hint.length).toBeGreaterThan(10);
    expect(error.message).not.toMatch(/\n/);
  });

  it("describes a reference the way the user wrote it", () => {
    expect(describeRef({ kind: "pod", name: "web-1" })).toBe("web-1");
    expect(describeRef({ kind: "deployment", name: "web" })).toBe("deployment/web");
  });
});

describe("selectorString", () => {
  it("writes matchLabels and every matchExpressions operator as the API reads them", () => {
    expect(
      selectorString({
        matchLabels: { app: "web", tier: "front" },
        matchExpressions: [
          { key: "track", operator: "In", values: ["stable", "canary"] },
          { key: "env", operator: "NotIn", values: ["dev"] },
          { key: "team", operator: "Exists" },
          { key: "legacy", operator: "DoesNotExist" },
        ],
      }),
    ).toBe("app=web,tier=front,track in (stable,canary),env notin (dev),team,!legacy");
  });

  it("gives nothing for an empty selector, which callers refuse", () => {
    expect(selectorString({})).toBe("");
  });
});

describe("assertSelector", () => {
  it.each([
    "app=web",
    "app=web,track!=canary",
    "tier in (web,api)",
    "!legacy",
    "app.kubernetes.io/name==web",
  ])("passes %s to the API as is", (selector) => expect(assertSelector(selector)).toBe(selector));

  it.each(["", " ", "app=web;id", "app=$(id)", "app=`id`", "app=web\nx", "a".repeat(1025), "app=web|x"])(
    "refuses %j before anything is sent",
    (selector) => {
      expect(refusal(() => assertSelector(selector)).hint).toContain("-l app=web");
    },
  );
});
