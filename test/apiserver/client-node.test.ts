// @kubernetes/client-node against the lab apiserver: the library podcap's kube stage is built on
// must list, read, review access and watch exactly as it does against a cluster.

import { ApiException, AuthorizationV1Api, CoreV1Api, Watch } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixturePods, fixtureSnapshot, relabeled } from "./fixture.js";
import { eventually, kubeConfigOf, type Lab, startLab } from "./harness.js";

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab.stop();
});

const kubeConfig = (context?: string) => kubeConfigOf(lab, context);

describe("CoreV1Api", () => {
  it("lists a namespace's pods by label selector, as typed objects", async () => {
    const core = kubeConfig("lab-viewer").makeApiClient(CoreV1Api);
    const pods = await core.listNamespacedPod({ namespace: "demo", labelSelector: "app=web,tier=frontend" });
    expect(pods.items.map((pod) => pod.metadata?.name)).toEqual(["web-1", "web-2"]);
    expect(pods.items[0]?.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(pods.items[1]?.status?.containerStatuses?.[0]?.containerID).toMatch(
      /^containerd:\/\/[0-9a-f]{64}$/,
    );
    expect(Number(pods.metadata?.resourceVersion)).toBeGreaterThan(0);
  });

  it("raises ApiException with the Status code for a missing pod", async () => {
    const core = kubeConfig().makeApiClient(CoreV1Api);
    const failure = await core
      .readNamespacedPod({ namespace: "demo", name: "nope" })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiException);
    expect((failure as ApiException<unknown>).code).toBe(404);
  });
});

describe("AuthorizationV1Api", () => {
  it("answers self subject access reviews from each user's rules", async () => {
    const allowed = async (context: string) => {
      const api = kubeConfig(context).makeApiClient(AuthorizationV1Api);
      const review = await api.createSelfSubjectAccessReview({
        body: {
          spec: {
            resourceAttributes: { namespace: "demo", verb: "create", resource: "pods", subresource: "exec" },
          },
        },
      });
      return review.status?.allowed;
    };
    expect(await allowed("lab")).toBe(true);
    expect(await allowed("lab-operator")).toBe(true);
    expect(await allowed("lab-viewer")).toBe(false);
  });
});

describe("Watch", () => {
  it("receives ADDED for current pods, then MODIFIED and DELETED when the cluster changes", async () => {
    const seen: string[] = [];
    let ended: unknown = "open";
    const watch = new Watch(kubeConfig("lab-viewer"));
    const request = await watch.watch(
      "/api/v1/namespaces/demo/pods",
      { labelSelector: "app=web" },
      (phase, pod) => seen.push(`${phase} ${pod.metadata.name}`),
      (error) => {
        ended = error;
      },
    );
    await eventually(() => seen.length === 2);
    expect(seen).toEqual(["ADDED web-1", "ADDED web-2"]);

    const withoutWeb2 = relabeled({ "web-1": { version: "2" } }).filter((pod) => pod.name !== "web-2");
    await lab.writeCluster(fixtureSnapshot(withoutWeb2));
    await eventually(() => seen.length === 4);
    expect(seen.slice(2).sort()).toEqual(["DELETED web-2", "MODIFIED web-1"]);
    expect(ended).toBe("open");
    request.abort();
    expect(fixturePods.some((pod) => pod.name === "web-2")).toBe(true);
  });
});
