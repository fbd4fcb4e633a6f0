// What the resolve stage hands on: everything later stages need to know about one pod.

export type ContainerScheme = "docker" | "containerd" | "cri-o" | "unknown";

export interface ContainerRef {
  name: string;
  /** Full ID without the scheme, e.g. the 64 hex digits of a docker or containerd container. */
  id: string;
  scheme: ContainerScheme;
  ready: boolean;
  restartCount: number;
}

export interface PodTarget {
  namespace: string;
  name: string;
  /** metadata.uid: ties Events to this incarnation of the name. */
  uid?: string;
  nodeName: string;
  podIP: string;
  phase: string;
  labels: Record<string, string>;
  /** The container whose PID is used; all containers of a pod share its network namespace. */
  container: ContainerRef;
  containers: ContainerRef[];
}
