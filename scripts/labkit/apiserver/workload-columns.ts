// The `kubectl get` columns of workloads, as kube-apiserver prints them (printDeployment,
// printReplicaSet, printStatefulSet, printDaemonSet, printJob): READY is ready/desired, the counts
// come from the status the controllers keep, and -o wide adds the template's containers and images.

import type {
  KubernetesObject,
  V1DaemonSet,
  V1Deployment,
  V1Job,
  V1LabelSelector,
  V1PodTemplateSpec,
  V1ReplicaSet,
  V1StatefulSet,
} from "@kubernetes/client-node";
import { humanDuration } from "./human-duration.js";
import { formatLabelSelector, formatLabels } from "./label-selector-objects.js";
import { ageColumn, nameColumn, type TableColumn } from "./table.js";

interface Workload extends KubernetesObject {
  spec?: { template?: V1PodTemplateSpec; selector?: V1LabelSelector };
}

// layoutContainerCells: one comma-separated cell of names and one of images.
const templateColumns = <T extends Workload>(): TableColumn<T>[] => [
  {
    name: "Containers",
    type: "string",
    priority: 1,
    description: "Names of each container in the template.",
    cell: (workload) => (workload.spec?.template?.spec?.containers ?? []).map((c) => c.name).join(","),
  },
  {
    name: "Images",
    type: "string",
    priority: 1,
    description: "Images referenced by each container in the template.",
    cell: (workload) => (workload.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? "").join(","),
  },
];

const selectorColumn = <T extends Workload>(): TableColumn<T> => ({
  name: "Selector",
  type: "string",
  priority: 1,
  description: "Label query over the pods this object manages.",
  cell: (workload) => formatLabelSelector(workload.spec?.selector),
});

const count = <T extends KubernetesObject>(
  name: string,
  description: string,
  read: (object: T) => number | undefined,
): TableColumn<T> => ({ name, type: "integer", description, cell: (object) => read(object) ?? 0 });

interface Replicated {
  spec?: { replicas?: number };
  status?: { readyReplicas?: number };
}

// spec.replicas defaults to 1 when left out, as the apiserver's defaulting would have set it.
const readyOfDesired = <T extends Replicated>(): TableColumn<T> => ({
  name: "Ready",
  type: "string",
  description: "Number of the pod with ready state",
  cell: (workload) => `${workload.status?.readyReplicas ?? 0}/${workload.spec?.replicas ?? 1}`,
});

export const deploymentColumns: TableColumn<V1Deployment>[] = [
  nameColumn(),
  readyOfDesired(),
  count("Up-to-date", "Total number of pods of the newest ReplicaSet.", (d) => d.status?.updatedReplicas),
  count("Available", "Total number of available pods.", (d) => d.status?.availableReplicas),
  ageColumn(),
  ...templateColumns<V1Deployment>(),
  selectorColumn(),
];

export const replicaSetColumns: TableColumn<V1ReplicaSet>[] = [
  nameColumn(),
  count("Desired", "Number of desired pods.", (rs) => rs.spec?.replicas ?? 1),
  count("Current", "Number of pods the ReplicaSet has.", (rs) => rs.status?.replicas),
  count("Ready", "Number of pods with a Ready condition.", (rs) => rs.status?.readyReplicas),
  ageColumn(),
  ...templateColumns<V1ReplicaSet>(),
  selectorColumn(),
];

export const statefulSetColumns: TableColumn<V1StatefulSet>[] = [
  nameColumn(),
  readyOfDesired(),
  ageColumn(),
  ...templateColumns<V1StatefulSet>(),
];

export const daemonSetColumns: TableColumn<V1DaemonSet>[] = [
  nameColumn(),
  count("Desired", "Nodes that should run the daemon pod.", (ds) => ds.status?.desiredNumberScheduled),
  count("Current", "Nodes running at least one daemon pod.", (ds) => ds.status?.currentNumberScheduled),
  count("Ready", "Nodes whose daemon pod is ready.", (ds) => ds.status?.numberReady),
  count("Up-to-date", "Nodes running the updated daemon pod.", (ds) => ds.status?.updatedNumberScheduled),
  count("Available", "Nodes whose daemon pod is available.", (ds) => ds.status?.numberAvailable),
  {
    name: "Node Selector",
    type: "string",
    description: "Labels a node must have to run the daemon pod.",
    cell: (ds) => formatLabels(ds.spec?.template.spec?.nodeSelector),
  },
  ageColumn(),
  ...templateColumns<V1DaemonSet>(),
  selectorColumn(),
];

const hasCondition = (job: V1Job, type: string) =>
  job.status?.conditions?.some((c) => c.type === type && c.status === "True") ?? false;

function jobState(job: V1Job): string {
  if (hasCondition(job, "Complete")) return "Complete";
  if (hasCondition(job, "Failed")) return "Failed";
  if (job.metadata?.deletionTimestamp) return "Terminating";
  if (hasCondition(job, "Suspended")) return "Suspended";
  if (hasCondition(job, "FailureTarget")) return "FailureTarget";
  return "Running";
}

function completions(job: V1Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec?.completions !== undefined) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** From start to completion, or to now while it runs; nothing before it has started. */
function duration(job: V1Job, now: Date): string {
  const start = job.status?.startTime;
  if (start === undefined) return "";
  const end = job.status?.completionTime ?? now;
  return humanDuration(new Date(end).getTime() - new Date(start).getTime());
}

export const jobColumns: TableColumn<V1Job>[] = [
  nameColumn(),
  { name: "Status", type: "string", description: "Status of the job.", cell: jobState },
  {
    name: "Completions",
    type: "string",
    description: "Pods that succeeded, of those wanted.",
    cell: completions,
  },
  { name: "Duration", type: "string", description: "Time required to complete the job.", cell: duration },
  ageColumn(),
  ...templateColumns<V1Job>(),
  selectorColumn(),
];
