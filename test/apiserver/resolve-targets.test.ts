// podcap's resolve stage for many pods against the API stand-in's fixture: every kind of target
// means the pods kubectl would show for it, and what resolves to nothing is a reported problem.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectKube, type Kube } from "../../src/kube/kube-client.js";
import { resolveTargets, type TargetQuery } from "../../src/kube/resolve-targets.js";
import { parseTargetRef } from "../../src/kube/target-ref.js";
import { type Lab, startLab } from "./harness.js";

let lab: Lab;
let kube: Kube;
beforeAll(async () => {
  lab = await startLab();
  kube = connectKube({ kubeconfig: lab.kubeconfig });
});
afterAll(() => lab?.stop());

const query = (more: Partial<TargetQuery>): TargetQuery => ({
  refs: [],
  allNamespaces: false,
  namespace: "demo",
  ...more,
});
const names = async (more: Partial<TargetQuery>) =>
  (await resolveTargets(kube, query(more))).pods.map((f) => f.pod.metadata?.name).sort();
const refs = (...texts: string[]) => texts.map(parseTargetRef);

describe("resolveTargets", () => {
  it.each([
    [["deploy/web"], "demo", ["web-1", "web-2"]],
    [["rs/web-6b7f9d8c5"], "demo", ["web-1", "web-2"]],
    [["svc/web"], "demo", ["web-1", "web-2"]],
    [["sts/db"], "demo", ["db-0", "db-1"]],
    [["job/backup-28999"], "tools", ["backup-28999-x7k2q"]],
    [["web-1", "client-1"], "demo", ["client-1", "web-1"]],
  ])("%j in %s means the pods kubectl shows for it", async (texts, namespace, expected) => {
    expect(await names({ refs: refs(...texts), namespace })).toEqual(expected);
  });

  it("takes a daemonset's pod on every node", async () => {
    const pods = await resolveTargets(kube, query({ refs: refs("ds/node-agent"), namespace: "kube-system" }));
    expect(pods.problems).toEqual([]);
    expect(new Set(pods.pods.map((f) => f.pod.spec?.nodeName)).size).toBe(pods.pods.length);
    expect(pods.pods.length).toBeGreaterThan(1);
  });

  it("selects by label, in one namespace or all, and narrows by node", async () => {
    expect(await names({ selector: "app=web" })).toEqual(["web-1", "web-2"]);
    expect(await names({ selector: "app in (web,db)", node: "lab-node-2" })).toEqual(["db-0", "web-2"]);
    const everywhere = await names({ node: "lab-node-3", allNamespaces: true });
    expect(everywhere).toEqual(expect.arrayContaining(["client-1", "db-1", "toolbox"]));
    expect(await names({ refs: refs("deploy/web"), node: "lab-node-1" })).toEqual(["web-1"]);
  });

  it("marks pods named by the user, so a pod that is not running fails instead of being skipped", async () => {
    const resolved = await resolveTargets(kube, query({ refs: refs("web-1", "sts/db") }));
    const named = Object.fromEntries(resolved.pods.map((f) => [f.pod.metadata?.name, f.named]));
    expect(named).toEqual({ "web-1": true, "db-0": false, "db-1": false });
  });

  it("reports what resolves to nothing, and resolves the rest", async () => {
    const resolved = await resolveTargets(
      kube,
      query({ refs: refs("deploy/nosuch", "svc/legacy-db", "web-2") }),
    );
    expect(resolved.pods.map((f) => f.pod.metadata?.name)).toEqual(["web-2"]);
    expect(resolved.problems.map((p) => [p.target, p.error.name, p.error.message])).toEqual([
      ["deployment/nosuch", "PodNotFound", 'deployment "nosuch" not found in namespace "demo"'],
      ["service/legacy-db", "PodNotFound", 'service "legacy-db" has no selector, so no pods to capture'],
    ]);
    const none = await resolveTargets(kube, query({ selector: "app=nothing" }));
    expect(none.problems[0]?.error.message).toBe('-l app=nothing matches no pod in namespace "demo"');
  });

  it("watches the same queries it resolved, for --follow", async () => {
    const resolved = await resolveTargets(
      kube,
      query({ refs: refs("deploy/web", "client-1"), node: "lab-node-1" }),
    );
    expect(resolved.watches).toEqual([
      {
        namespace: "demo",
        labelSelector: "app=web,tier=frontend",
        fieldSelector: "spec.nodeName=lab-node-1",
      },
      {
        namespace: "demo",
        labelSelector: undefined,
        fieldSelector: "metadata.name=client-1,spec.nodeName=lab-node-1",
      },
    ]);
  });
});
