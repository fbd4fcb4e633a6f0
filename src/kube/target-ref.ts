// What a user may type to name capture targets, as kubectl reads TYPE/NAME: a pod, or a workload
// or service whose pods are meant. Checked before anything is sent anywhere.

import { printable } from "../capture/printable.js";
import { UsageError } from "../errors.js";
import { assertPodName } from "./pod-ref.js";

export type TargetKind =
  | "pod"
  | "deployment"
  | "replicaset"
  | "statefulset"
  | "daemonset"
  | "job"
  | "service";

export interface TargetRef {
  kind: TargetKind;
  name: string;
}

/** kubectl's spellings of each kind: plural, singular, short name. */
const KIND_NAMES: Record<TargetKind, readonly string[]> = {
  pod: ["pod", "pods", "po"],
  deployment: ["deployment", "deployments", "deploy"],
  replicaset: ["replicaset", "replicasets", "rs"],
  statefulset: ["statefulset", "statefulsets", "sts"],
  daemonset: ["daemonset", "daemonsets", "ds"],
  job: ["job", "jobs"],
  service: ["service", "services", "svc"],
};

const KINDS = new Map(
  Object.entries(KIND_NAMES).flatMap(([kind, names]) => names.map((name) => [name, kind as TargetKind])),
);

/** `NAME` (a pod), `pod/NAME`, `deploy/NAME`, `sts/NAME`, `ds/NAME`, `rs/NAME`, `job/NAME`, `svc/NAME`. */
export function parseTargetRef(ref: string): TargetRef {
  const slash = ref.indexOf("/");
  if (slash === -1) return { kind: "pod", name: assertPodName(ref) };
  const typed = ref.slice(0, slash).toLowerCase();
  const kind = KINDS.get(typed.replace(/\.(apps|batch)$/, ""));
  if (!kind) {
    throw new UsageError(
      `podcap cannot capture a ${printable(typed)}`,
      "name pods (NAME, pod/NAME), workloads (deploy/, sts/, ds/, rs/, job/NAME) or services (svc/NAME)",
    );
  }
  return { kind, name: assertPodName(ref.slice(slash + 1)) };
}

export const describeRef = (ref: TargetRef) => (ref.kind === "pod" ? ref.name : `${ref.kind}/${ref.name}`);
