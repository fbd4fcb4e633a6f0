// What a cluster's controllers would have written, worked out from a source's snapshot on every
// poll: workloads' status from their pods, and the endpoints of services. The store keeps the
// result, so a pod that stops being ready changes its Deployment and its Service's endpoints too.

import type { KubernetesObject } from "@kubernetes/client-node";
import type { PolledCollection } from "./resource-definition.js";
import { serviceEndpoints } from "./service-endpoints.js";
import type { ClusterSnapshot } from "./source.js";
import {
  daemonSetStatus,
  deploymentStatus,
  jobStatus,
  replicaSetStatus,
  statefulSetStatus,
} from "./workload-status.js";

/** Every polled collection's objects, as the store is to hold them. */
export type ClusterState = Record<PolledCollection, KubernetesObject[]>;

export function reconcile(snapshot: ClusterSnapshot): ClusterState {
  const { namespaces, nodes, pods } = snapshot;
  const services = snapshot.services ?? [];
  const replicasets = (snapshot.replicasets ?? []).map((rs) => replicaSetStatus(rs, pods));
  return {
    namespaces,
    nodes,
    pods,
    replicasets,
    deployments: (snapshot.deployments ?? []).map((deployment) => deploymentStatus(deployment, replicasets)),
    statefulsets: (snapshot.statefulsets ?? []).map((sts) => statefulSetStatus(sts, pods)),
    daemonsets: (snapshot.daemonsets ?? []).map((ds) => daemonSetStatus(ds, pods, nodes)),
    jobs: (snapshot.jobs ?? []).map((job) => jobStatus(job, pods)),
    services,
    ...serviceEndpoints(services, pods, snapshot.endpoints ?? []),
  };
}
