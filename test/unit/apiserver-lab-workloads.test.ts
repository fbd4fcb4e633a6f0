import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { PodOwner } from "../../scripts/labkit/containers.js";
import { labUid, labWorkloads, type OwnedPod } from "../../scripts/labkit/lab-workloads.js";

const started = new Date("2025-06-01T10:00:00Z");

function owned(name: string, labels: Record<string, string>, owner?: PodOwner, minutes = 0): OwnedPod {
  const pod: V1Pod = {
    metadata: {
      name,
      namespace: "demo",
      labels,
      creationTimestamp: new Date(started.getTime() + minutes * 60_000),
    },
    spec: { nodeName: "node-a", containers: [{ name: "main", image: "podcap-lab/busybox:1" }] },
  };
  return { pod, owner };
}

describe("the lab's workloads", () => {
  it("makes a StatefulSet and a DaemonSet select what their pods share, not what sets each apart", () => {
    const sts: PodOwner = { kind: "StatefulSet", name: "db" };
    const ds: PodOwner = { kind: "DaemonSet", name: "agent" };
    const { statefulsets, daemonsets, deployments, replicasets } = labWorkloads(
      [
        owned("db-0", { app: "db", "statefulset.kubernetes.io/pod-name": "db-0" }, sts, 5),
        owned("db-1", { app: "db", "statefulset.kubernetes.io/pod-name": "db-1" }, sts, 2),
        owned(
          "agent-x",
          { app: "agent", "controller-revision-hash": "abc", "pod-template-generation": "1" },
          ds,
        ),
        owned("loner", { app: "loner" }),
      ],
      [],
      started,
    );
    expect(statefulsets).toHaveLength(1);
    expect(statefulsets[0]?.metadata).toMatchObject({
      name: "db",
      uid: labUid("StatefulSet", "demo", "db"),
      creationTimestamp: new Date("2025-06-01T10:02:00Z"),
    });
    expect(statefulsets[0]?.spec).toMatchObject({ replicas: 2, selector: { matchLabels: { app: "db" } } });
    expect(statefulsets[0]?.spec?.template.spec?.containers).toEqual([
      { name: "main", image: "podcap-lab/busybox:1" },
    ]);
    expect(daemonsets[0]?.spec?.selector).toEqual({ matchLabels: { app: "agent" } });
    expect([deployments, replicasets]).toEqual([[], []]);
  });

  it("puts a ReplicaSet under its Deployment, which selects without the template hash", () => {
    const rs: PodOwner = { kind: "ReplicaSet", name: "web-6b7f9d8c5", deployment: "web" };
    const labels = { app: "web", "pod-template-hash": "6b7f9d8c5" };
    const { deployments, replicasets } = labWorkloads(
      [owned("web-a", labels, rs), owned("web-b", labels, rs)],
      [],
      started,
    );
    expect(replicasets[0]?.spec?.selector.matchLabels).toEqual(labels);
    expect(replicasets[0]?.metadata?.ownerReferences).toEqual([
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        name: "web",
        uid: labUid("Deployment", "demo", "web"),
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(deployments[0]?.spec).toMatchObject({ replicas: 2, selector: { matchLabels: { app: "web" } } });
    expect(deployments[0]?.metadata?.uid).toBe(labUid("Deployment", "demo", "web"));
  });

  it("names objects with uids that are stable, distinct, and shaped like real ones", () => {
    expect(labUid("ReplicaSet", "demo", "web")).toBe(labUid("ReplicaSet", "demo", "web"));
    expect(labUid("ReplicaSet", "demo", "web")).not.toBe(labUid("ReplicaSet", "other", "web"));
    expect(labUid("Service", "demo", "web")).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it("makes the catalog's Services ClusterIP ones with each port's target the port itself", () => {
    const { services } = labWorkloads(
      [],
      [
        {
          namespace: "kube-system",
          name: "kube-dns",
          selector: { "k8s-app": "kube-dns" },
          clusterIP: "10.96.0.10",
          ports: [{ name: "dns", port: 53, protocol: "UDP" }],
        },
      ],
      started,
    );
    expect(services[0]?.spec).toMatchObject({
      type: "ClusterIP",
      clusterIPs: ["10.96.0.10"],
      ports: [{ name: "dns", port: 53, protocol: "UDP", targetPort: 53 }],
    });
  });
});
