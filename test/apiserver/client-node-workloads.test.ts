// @kubernetes/client-node against the lab apiserver's workloads and services: what podcap's kube
// stage reads to turn deploy/NAME, sts/NAME, ds/NAME, job/NAME or svc/NAME into pods, and the
// owner chain from a pod back to its Deployment.

import {
  type ApiConstructor,
  type ApiType,
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  type KubernetesObject,
  type V1Deployment,
  Watch,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixturePods, fixtureSnapshot } from "./fixture.js";
import { eventually, kubeConfigOf, type Lab, startLab } from "./harness.js";

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab.stop();
});

const api = <T extends ApiType>(kind: ApiConstructor<T>) => kubeConfigOf(lab).makeApiClient(kind);
const controllerOf = (object: KubernetesObject) =>
  object.metadata?.ownerReferences?.find((ref) => ref.controller);
const selectorText = (labels: Record<string, string> = {}) =>
  Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(",");

describe("AppsV1Api", () => {
  it("reads a Deployment whose selector finds its pods, each controlled by the Deployment's ReplicaSet", async () => {
    const namespace = "demo";
    const deployment = await api(AppsV1Api).readNamespacedDeployment({ namespace, name: "web" });
    expect(deployment.spec?.selector.matchLabels).toEqual({ app: "web", tier: "frontend" });
    expect(deployment.status).toMatchObject({ replicas: 2, readyReplicas: 2, updatedReplicas: 2 });
    expect(deployment.metadata?.creationTimestamp).toBeInstanceOf(Date);

    const labelSelector = selectorText(deployment.spec?.selector.matchLabels);
    const pods = await api(CoreV1Api).listNamespacedPod({ namespace, labelSelector });
    expect(pods.items.map((pod) => pod.metadata?.name)).toEqual(["web-1", "web-2"]);
    const rsName = controllerOf(pods.items[0] as KubernetesObject)?.name as string;
    const replicaSet = await api(AppsV1Api).readNamespacedReplicaSet({ namespace, name: rsName });
    for (const pod of pods.items) {
      expect(controllerOf(pod)).toMatchObject({ kind: "ReplicaSet", uid: replicaSet.metadata?.uid });
    }
    expect(controllerOf(replicaSet)).toMatchObject({
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: "web",
      uid: deployment.metadata?.uid,
    });
  });

  it("reads a StatefulSet and a DaemonSet with the status their pods give them", async () => {
    const apps = api(AppsV1Api);
    const db = await apps.readNamespacedStatefulSet({ namespace: "demo", name: "db" });
    expect(db.status).toMatchObject({ replicas: 2, readyReplicas: 1 });
    const agent = await apps.readNamespacedDaemonSet({ namespace: "kube-system", name: "node-agent" });
    expect(agent.status).toMatchObject({
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      numberReady: 3,
    });
    const pods = await api(CoreV1Api).listNamespacedPod({
      namespace: "kube-system",
      labelSelector: selectorText(agent.spec?.selector.matchLabels),
    });
    expect(new Set(pods.items.map((pod) => pod.spec?.nodeName))).toEqual(
      new Set(["lab-node-1", "lab-node-2", "lab-node-3"]),
    );
  });

  it("watches deployments, whose status follows their pods", async () => {
    const seen: { phase: string; ready?: number }[] = [];
    const watch = new Watch(kubeConfigOf(lab, "lab"));
    const request = await watch.watch(
      "/apis/apps/v1/namespaces/demo/deployments",
      {},
      (phase, deployment: V1Deployment) => seen.push({ phase, ready: deployment.status?.readyReplicas }),
      () => {},
    );
    await eventually(() => seen.length === 1);
    await lab.writeCluster(fixtureSnapshot(fixturePods.filter((pod) => pod.name !== "web-2")));
    await eventually(() => seen.length === 2);
    expect(seen).toEqual([
      { phase: "ADDED", ready: 2 },
      { phase: "MODIFIED", ready: 1 },
    ]);
    request.abort();
    await lab.writeCluster(fixtureSnapshot());
    await lab.server.store.refresh();
  });
});

describe("BatchV1Api", () => {
  it("reads a finished Job, complete once its pod succeeded", async () => {
    const job = await api(BatchV1Api).readNamespacedJob({ namespace: "tools", name: "backup-28999" });
    expect(job.status).toMatchObject({ succeeded: 1, active: 0 });
    expect(job.status?.conditions?.map((c) => [c.type, c.status])).toContainEqual(["Complete", "True"]);
  });
});

describe("CoreV1Api and DiscoveryV1Api", () => {
  it("reads a Service and its Endpoints: the selected pods, ready or not, at the target port", async () => {
    const core = api(CoreV1Api);
    const web = await core.readNamespacedService({ namespace: "demo", name: "web" });
    expect(web.spec).toMatchObject({ clusterIP: "10.96.0.20", selector: { app: "web" } });
    const endpoints = await core.readNamespacedEndpoints({ namespace: "demo", name: "web" });
    expect(endpoints.subsets).toEqual([
      {
        addresses: [
          {
            ip: "10.244.1.10",
            nodeName: "lab-node-1",
            targetRef: { kind: "Pod", namespace: "demo", name: "web-1", uid: "pod-demo-web-1" },
          },
          {
            ip: "10.244.2.10",
            nodeName: "lab-node-2",
            targetRef: { kind: "Pod", namespace: "demo", name: "web-2", uid: "pod-demo-web-2" },
          },
        ],
        ports: [{ name: "http", port: 8080, protocol: "TCP" }],
      },
    ]);
    const db = await core.readNamespacedEndpoints({ namespace: "demo", name: "db" });
    expect(db.subsets?.[0]?.addresses?.map((a) => a.targetRef?.name)).toEqual(["db-0"]);
    expect(db.subsets?.[0]?.notReadyAddresses?.map((a) => a.targetRef?.name)).toEqual(["db-1"]);
  });

  it("lists a Service's EndpointSlices by the service-name label, owned by the Service", async () => {
    const service = await api(CoreV1Api).readNamespacedService({ namespace: "demo", name: "db" });
    const slices = await api(DiscoveryV1Api).listNamespacedEndpointSlice({
      namespace: "demo",
      labelSelector: "kubernetes.io/service-name=db",
    });
    expect(slices.items).toHaveLength(1);
    const [slice] = slices.items;
    expect(controllerOf(slice as KubernetesObject)).toMatchObject({
      kind: "Service",
      uid: service.metadata?.uid,
    });
    expect(slice?.endpoints.map((e) => [e.targetRef?.name, e.conditions?.ready])).toEqual([
      ["db-0", true],
      ["db-1", false],
    ]);
  });
});
