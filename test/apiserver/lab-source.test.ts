// The lab's own cluster source, without the lab: the catalog's pods as containers labelled exactly
// as pods.ts labels them, read back by cluster-source.ts, served to the real kubectl. What
// `scripts/lab up` would show for workloads and services, checked without dockerd or containerd.

import { createHash, randomUUID } from "node:crypto";
import { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClusterSource } from "../../scripts/labkit/apiserver/source.js";
import { dnsPod, initialPods, webPod } from "../../scripts/labkit/catalog.js";
import { labSnapshot } from "../../scripts/labkit/cluster-source.js";
import { LABEL, type LabContainer } from "../../scripts/labkit/containers.js";
import { nodeNamed } from "../../scripts/labkit/layout.js";
import { containerLabels, type LabPodSpec, type PodIdentity, podLabels } from "../../scripts/labkit/pods.js";
import { eventually, kubeConfigOf, type Lab, startLab } from "./harness.js";
import { rows, tables } from "./kubectl-output.js";

const versions = { docker: "20.10.24", containerd: "1.6.20" };
const startedAt = new Date(Date.now() - 3_600_000).toISOString();
const hex = (seed: string) => createHash("sha256").update(seed).digest("hex");
let nextHost = 10;

/** A pod's containers as the runtimes would list them: docker's with their sandbox first. */
function containersOf(spec: LabPodSpec): LabContainer[] {
  const node = nodeNamed(spec.node);
  const pod: PodIdentity = {
    spec,
    node,
    uid: randomUUID(),
    ip: `10.244.${node.podCidrIndex}.${nextHost++}`,
    hostVeth: `veth${hex(spec.name).slice(0, 8)}`,
    created: new Date(Date.now() - 600_000).toISOString(),
  };
  const base = { runtime: node.runtime, created: Math.floor(Date.now() / 1000) - 590 };
  const netns = node.runtime === "docker" ? "" : `plab-pod-${pod.uid.slice(0, 8)}`;
  const sandbox: LabContainer[] =
    node.runtime === "docker"
      ? [
          {
            ...base,
            id: hex(`${pod.uid}/POD`),
            labels: { ...podLabels(pod, ""), [LABEL.dockerType]: "podsandbox" },
            running: true,
            sandbox: true,
          },
        ]
      : [];
  return [
    ...sandbox,
    ...spec.containers.map((container, index) => ({
      ...base,
      id: hex(`${pod.uid}/${container.name}`),
      labels: { ...podLabels(pod, netns), ...containerLabels(container, index, 0) },
      running: !spec.completes,
      exitCode: spec.completes ? 0 : undefined,
      sandbox: false,
    })),
  ];
}

let containers = [dnsPod, ...initialPods("10.244.4.10")].flatMap(containersOf);
const source: ClusterSource = { snapshot: async () => labSnapshot(containers, startedAt, versions) };

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ source });
});
afterAll(async () => {
  await lab.stop();
});

describe("the lab's workloads, from its containers", () => {
  it("shows a Deployment and a ReplicaSet per app, the Job, and the catalog's Services", async () => {
    const result = await lab.kubectl("get", "deploy,rs,jobs,svc,ep", "-A");
    expect(result.stderr).toBe("");
    const [deploy, rs, jobs, svc, ep] = tables(result.stdout);
    expect(deploy?.rows.map((cells) => cells.slice(0, 3))).toEqual([
      ["demo", "deployment.apps/client", "1/1"],
      ["demo", "deployment.apps/meshed", "1/1"],
      ["demo", "deployment.apps/static", "1/1"],
      ["demo", "deployment.apps/web", "3/3"],
      ["kube-system", "deployment.apps/coredns", "1/1"],
    ]);
    expect(rs?.rows.map((cells) => cells.slice(1, 5))).toEqual([
      ["replicaset.apps/client-5f4c8d7b9", "1", "1", "1"],
      ["replicaset.apps/meshed-7c9d6b5f8", "1", "1", "1"],
      ["replicaset.apps/static-8d5b7c6f4", "1", "1", "1"],
      ["replicaset.apps/web-6b7f9d8c5", "3", "3", "3"],
      ["replicaset.apps/coredns-7db6d8ff4d", "1", "1", "1"],
    ]);
    expect(jobs?.rows.map((cells) => cells.slice(0, 4))).toEqual([
      ["demo", "job.batch/migrate-db-29384756", "Complete", "1/1"],
    ]);
    expect(svc?.rows.map((cells) => cells.slice(0, 6))).toEqual([
      ["demo", "service/static", "ClusterIP", "10.96.0.21", "<none>", "80/TCP"],
      ["demo", "service/web", "ClusterIP", "10.96.0.20", "<none>", "80/TCP"],
      ["kube-system", "service/kube-dns", "ClusterIP", "10.96.0.10", "<none>", "53/UDP"],
    ]);
    const endpoints = Object.fromEntries(ep?.rows.map((cells) => [cells[1], cells[2]]) ?? []);
    expect(endpoints["endpoints/web"]?.split(",")).toHaveLength(3);
    expect(endpoints["endpoints/web"]).toMatch(/^(10\.244\.\d\.\d+:80,?){3}$/);
    expect(endpoints["endpoints/kube-dns"]).toMatch(/^10\.244\.4\.\d+:53$/);
  });

  it("gives every pod its controller, by the uid of the object kubectl shows", async () => {
    const core = kubeConfigOf(lab).makeApiClient(CoreV1Api);
    const pods = (await core.listPodForAllNamespaces()).items;
    expect(pods.every((pod) => pod.metadata?.ownerReferences?.length === 1)).toBe(true);
    const job = pods.find((pod) => pod.metadata?.name?.startsWith("migrate-db-"));
    expect(job?.metadata?.ownerReferences?.[0]).toMatchObject({
      apiVersion: "batch/v1",
      kind: "Job",
      controller: true,
    });
    expect(job?.spec?.restartPolicy).toBe("Never");
    const rsUid = await lab.kubectl("get", "rs", "web-6b7f9d8c5", "-o", "jsonpath={.metadata.uid}");
    const web = pods.filter((pod) => pod.metadata?.labels?.app === "web");
    expect(web.map((pod) => pod.metadata?.ownerReferences?.[0]?.uid)).toEqual([
      rsUid.stdout,
      rsUid.stdout,
      rsUid.stdout,
    ]);
  });

  it("lets a pod added with `scripts/lab pod add-web` join Deployment web and its Service", async () => {
    containers = [...containers, ...containersOf(webPod("x9z8w", "node-d"))];
    await lab.server.store.refresh();
    await eventually(async () => rows((await lab.kubectl("get", "deploy", "web")).stdout)[0]?.[1] === "4/4");
    const endpoints = rows((await lab.kubectl("get", "ep", "web")).stdout)[0]?.[1];
    expect(endpoints).toMatch(/ \+ 1 more\.\.\.$/);
    const owner = await lab.kubectl(
      "get",
      "pod",
      "web-6b7f9d8c5-x9z8w",
      "-o",
      "jsonpath={.metadata.ownerReferences[0].name}",
    );
    expect(owner.stdout).toBe("web-6b7f9d8c5");
  });
});
