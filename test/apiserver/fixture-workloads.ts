// The fixture's workloads and services, as their authors would have applied them: a Deployment
// and its ReplicaSet, a StatefulSet behind a headless Service, a DaemonSet, a finished Job, a
// Service in front of the web pods, and one without a selector whose endpoints are written by
// hand. No status: the apiserver works that out from the fixture's pods.

import type { Json } from "./fixture.js";

/** Readable uids, like the fixture's pods' `pod-NS-NAME`; pods name their owner by it. */
export const workloadUid = (kind: string, namespace: string, name: string) =>
  `${kind.toLowerCase()}-${namespace}-${name}`;

export function controllerOf(kind: string, namespace: string, name: string): Json {
  const apiVersion = kind === "Job" ? "batch/v1" : "apps/v1";
  return { apiVersion, kind, name, uid: workloadUid(kind, namespace, name), controller: true };
}

export const WEB_HASH = "6b7f9d8c5";
const revision = { "deployment.kubernetes.io/revision": "1" };

function metadata(kind: string, namespace: string, name: string, created: string, extra: Json = {}): Json {
  return { name, namespace, uid: workloadUid(kind, namespace, name), creationTimestamp: created, ...extra };
}

const template = (labels: Record<string, string>, containers: string[]) => ({
  metadata: { labels },
  spec: { containers: containers.map((name) => ({ name, image: "lab/busybox:1" })) },
});

export function fixtureWorkloads(created: string): Record<string, Json[]> {
  const web = { app: "web", tier: "frontend" };
  const webRs = { ...web, "pod-template-hash": WEB_HASH };
  const agent = { "app.kubernetes.io/name": "node-agent" };
  return {
    deployments: [
      {
        metadata: metadata("Deployment", "demo", "web", created, {
          labels: { app: "web" },
          annotations: revision,
        }),
        spec: {
          replicas: 2,
          selector: { matchLabels: web },
          template: template(web, ["main"]),
          strategy: { type: "RollingUpdate" },
        },
      },
    ],
    replicasets: [
      {
        metadata: metadata("ReplicaSet", "demo", `web-${WEB_HASH}`, created, {
          labels: webRs,
          annotations: revision,
          ownerReferences: [controllerOf("Deployment", "demo", "web")],
        }),
        spec: { replicas: 2, selector: { matchLabels: webRs }, template: template(webRs, ["main"]) },
      },
    ],
    statefulsets: [
      {
        metadata: metadata("StatefulSet", "demo", "db", created),
        spec: {
          replicas: 2,
          serviceName: "db",
          selector: { matchLabels: { app: "db" } },
          template: template({ app: "db" }, ["postgres", "metrics"]),
        },
      },
    ],
    daemonsets: [
      {
        metadata: metadata("DaemonSet", "kube-system", "node-agent", created),
        spec: { selector: { matchLabels: agent }, template: template(agent, ["agent"]) },
      },
    ],
    jobs: [
      {
        metadata: metadata("Job", "tools", "backup-28999", created),
        spec: {
          completions: 1,
          selector: { matchLabels: { "job-name": "backup-28999" } },
          template: template({ "job-name": "backup-28999" }, ["main"]),
        },
      },
    ],
    services: [
      {
        metadata: metadata("Service", "demo", "web", created, { labels: { app: "web" } }),
        spec: {
          type: "ClusterIP",
          clusterIP: "10.96.0.20",
          clusterIPs: ["10.96.0.20"],
          selector: { app: "web" },
          ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }],
        },
      },
      {
        metadata: metadata("Service", "demo", "db", created),
        spec: {
          clusterIP: "None",
          clusterIPs: ["None"],
          selector: { app: "db" },
          ports: [{ name: "pg", port: 5432 }],
        },
      },
      {
        metadata: metadata("Service", "demo", "legacy-db", created),
        spec: { clusterIP: "10.96.0.30", clusterIPs: ["10.96.0.30"], ports: [{ port: 5432 }] },
      },
    ],
    endpoints: [
      {
        metadata: { name: "legacy-db", namespace: "demo", creationTimestamp: created },
        subsets: [{ addresses: [{ ip: "10.89.0.50" }], ports: [{ port: 5432, protocol: "TCP" }] }],
      },
    ],
  };
}
