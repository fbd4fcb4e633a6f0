// Where the apiserver's cluster comes from. The lab's real source reads docker and containerd;
// FileSource reads a JSON file. The store polls whichever it is given, lets the controllers work
// out what a cluster's controllers would (controllers.ts), and works out the changes.

import type {
  V1DaemonSet,
  V1Deployment,
  V1Endpoints,
  V1Job,
  V1Namespace,
  V1Node,
  V1Pod,
  V1ReplicaSet,
  V1Service,
  V1StatefulSet,
} from "@kubernetes/client-node";
import { type Collection, collections } from "./resource-definition.js";

export interface ClusterSnapshot {
  namespaces: V1Namespace[];
  nodes: V1Node[];
  /** With ownerReferences to their ReplicaSet, StatefulSet, DaemonSet or Job, by uid. */
  pods: V1Pod[];
  // Workloads and services as their authors declared them; a source without them has none.
  // Their status is computed from the pods that name them as owner, whatever the source says.
  deployments?: V1Deployment[];
  replicasets?: V1ReplicaSet[];
  statefulsets?: V1StatefulSet[];
  daemonsets?: V1DaemonSet[];
  jobs?: V1Job[];
  services?: V1Service[];
  /**
   * Only for services without a selector: those of a service with one are computed from its pods,
   * like the endpoints controller does, and EndpointSlices always are.
   */
  endpoints?: V1Endpoints[];
}

/** The collections a snapshot carries: all but events (clients create them) and EndpointSlices. */
export type SnapshotCollection = Exclude<Collection, "events" | "endpointslices">;

export const snapshotCollections = collections.filter(
  (collection): collection is SnapshotCollection =>
    collection !== "events" && collection !== "endpointslices",
);

export interface ClusterSource {
  snapshot(): Promise<ClusterSnapshot>;
  /**
   * For a source that can tell: calls `onChange` when a snapshot would differ, and returns the
   * stop. The store then reads it on each change, and polls only as a safety net.
   */
  changes?(onChange: () => void): () => void;
}
