// Where the apiserver's cluster comes from. The lab's real source reads docker and containerd;
// FileSource reads a JSON file. The store polls whichever it is given and works out the changes.

import type { V1Namespace, V1Node, V1Pod } from "@kubernetes/client-node";

export interface ClusterSnapshot {
  namespaces: V1Namespace[];
  nodes: V1Node[];
  pods: V1Pod[];
}

export interface ClusterSource {
  snapshot(): Promise<ClusterSnapshot>;
}
