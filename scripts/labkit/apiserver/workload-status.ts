// What the ReplicaSet, Deployment, StatefulSet, DaemonSet and Job controllers write into status,
// worked out from the pods that name a workload as their controller (by uid, as the controllers
// match them). Nothing here reads the clock: the same pods must give the same status, or every
// poll would look like a change.

import type {
  KubernetesObject,
  V1DaemonSet,
  V1Deployment,
  V1DeploymentCondition,
  V1Job,
  V1JobCondition,
  V1Node,
  V1Pod,
  V1ReplicaSet,
  V1StatefulSet,
} from "@kubernetes/client-node";
import { matchesLabels } from "./label-selector.js";
import { labelRequirements } from "./label-selector-objects.js";
import { isPodReady } from "./pod-columns.js";

/** The objects `owner` controls, as the garbage collector would see them. */
export function controlledBy<T extends KubernetesObject>(owner: KubernetesObject, objects: T[]): T[] {
  const uid = owner.metadata?.uid;
  return objects.filter(
    (object) =>
      uid !== undefined &&
      object.metadata?.namespace === owner.metadata?.namespace &&
      (object.metadata?.ownerReferences ?? []).some((ref) => ref.controller && ref.uid === uid),
  );
}

/** Controllers count active pods only: not finished, not being deleted. */
export const isActivePod = (pod: V1Pod) =>
  pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed" && !pod.metadata?.deletionTimestamp;

function podCounts(owner: KubernetesObject, pods: V1Pod[]) {
  const active = controlledBy(owner, pods).filter(isActivePod);
  // minReadySeconds is not modelled: a ready pod counts as available at once.
  const ready = active.filter(isPodReady).length;
  return { active, replicas: active.length, ready };
}

const observedGeneration = (object: KubernetesObject) => object.metadata?.generation ?? 1;

export function replicaSetStatus(rs: V1ReplicaSet, pods: V1Pod[]): V1ReplicaSet {
  const { replicas, ready } = podCounts(rs, pods);
  return {
    ...rs,
    status: {
      replicas,
      fullyLabeledReplicas: replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: observedGeneration(rs),
    },
  };
}

const revisionOf = (rs: V1ReplicaSet) =>
  Number(rs.metadata?.annotations?.["deployment.kubernetes.io/revision"] ?? 0);

/** RollingUpdate's maxUnavailable as a number of pods: 25% by default, percentages rounded down. */
function maxUnavailable(deployment: V1Deployment, desired: number): number {
  const value = deployment.spec?.strategy?.rollingUpdate?.maxUnavailable ?? "25%";
  if (deployment.spec?.strategy?.type === "Recreate") return desired;
  return typeof value === "number" ? value : Math.floor((desired * Number.parseInt(value, 10)) / 100);
}

function availableCondition(deployment: V1Deployment, desired: number, available: number) {
  const enough = available >= desired - maxUnavailable(deployment, desired);
  return {
    type: "Available",
    status: enough ? "True" : "False",
    reason: enough ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
    message: enough
      ? "Deployment has minimum availability."
      : "Deployment does not have minimum availability.",
  } satisfies V1DeploymentCondition;
}

/** From the Deployment's ReplicaSets, whose status must be computed already. */
export function deploymentStatus(deployment: V1Deployment, replicaSets: V1ReplicaSet[]): V1Deployment {
  const owned = controlledBy(deployment, replicaSets);
  const newest = Math.max(0, ...owned.map(revisionOf));
  const sum = (pick: (rs: V1ReplicaSet) => number | undefined, sets = owned) =>
    sets.reduce((total, rs) => total + (pick(rs) ?? 0), 0);
  const desired = deployment.spec?.replicas ?? 1;
  const available = sum((rs) => rs.status?.availableReplicas);
  return {
    ...deployment,
    status: {
      replicas: sum((rs) => rs.status?.replicas),
      updatedReplicas: sum(
        (rs) => rs.status?.replicas,
        owned.filter((rs) => revisionOf(rs) === newest),
      ),
      readyReplicas: sum((rs) => rs.status?.readyReplicas),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, desired - available),
      observedGeneration: observedGeneration(deployment),
      conditions: [availableCondition(deployment, desired, available)],
    },
  };
}

export function statefulSetStatus(sts: V1StatefulSet, pods: V1Pod[]): V1StatefulSet {
  const { replicas, ready } = podCounts(sts, pods);
  return {
    ...sts,
    status: {
      replicas,
      readyReplicas: ready,
      currentReplicas: replicas,
      updatedReplicas: replicas,
      availableReplicas: ready,
      observedGeneration: observedGeneration(sts),
    },
  };
}

/** Taints and affinity are not modelled: a node is eligible when it has the nodeSelector's labels. */
export function daemonSetStatus(ds: V1DaemonSet, pods: V1Pod[], nodes: V1Node[]): V1DaemonSet {
  const { active } = podCounts(ds, pods);
  const wanted = labelRequirements(ds.spec?.template.spec?.nodeSelector);
  const eligible = new Set(
    nodes.filter((node) => matchesLabels(wanted, node.metadata?.labels)).map((node) => node.metadata?.name),
  );
  const scheduledOn = new Set(active.map((pod) => pod.spec?.nodeName));
  const readyOn = new Set(active.filter(isPodReady).map((pod) => pod.spec?.nodeName));
  const current = [...scheduledOn].filter((node) => eligible.has(node)).length;
  const ready = [...readyOn].filter((node) => eligible.has(node)).length;
  return {
    ...ds,
    status: {
      desiredNumberScheduled: eligible.size,
      currentNumberScheduled: current,
      numberMisscheduled: scheduledOn.size - current,
      numberReady: ready,
      updatedNumberScheduled: current,
      numberAvailable: ready,
      numberUnavailable: Math.max(0, eligible.size - ready),
      observedGeneration: observedGeneration(ds),
    },
  };
}

const earliest = (dates: (Date | undefined)[]) =>
  new Date(Math.min(...dates.map((d) => new Date(d ?? 0).getTime())));

const latest = (dates: (Date | undefined)[]) => {
  const times = dates.filter((d): d is Date => d !== undefined).map((d) => new Date(d).getTime());
  return times.length > 0 ? new Date(Math.max(...times)) : undefined;
};

/** A Job is complete once enough of its pods succeeded, failed once more failed than it allows. */
export function jobStatus(job: V1Job, pods: V1Pod[]): V1Job {
  const owned = controlledBy(job, pods);
  const succeeded = owned.filter((pod) => pod.status?.phase === "Succeeded");
  const failed = owned.filter((pod) => pod.status?.phase === "Failed").length;
  const active = owned.filter(isActivePod);
  const complete = succeeded.length >= (job.spec?.completions ?? 1);
  const gaveUp = !complete && failed > (job.spec?.backoffLimit ?? 6);
  const finishedAt = (pod: V1Pod) =>
    latest((pod.status?.containerStatuses ?? []).map((s) => s.state?.terminated?.finishedAt));
  const condition = (type: string, reason: string): V1JobCondition => ({ type, status: "True", reason });
  const startTimes = owned.map((pod) => pod.status?.startTime ?? pod.metadata?.creationTimestamp);
  return {
    ...job,
    status: {
      active: active.length,
      ready: active.filter(isPodReady).length,
      succeeded: succeeded.length,
      failed,
      startTime: startTimes.length > 0 ? earliest(startTimes) : undefined,
      completionTime: complete ? latest(succeeded.map(finishedAt)) : undefined,
      conditions: complete
        ? [condition("SuccessCriteriaMet", "CompletionsReached"), condition("Complete", "CompletionsReached")]
        : gaveUp
          ? [condition("FailureTarget", "BackoffLimitExceeded"), condition("Failed", "BackoffLimitExceeded")]
          : undefined,
    },
  };
}
