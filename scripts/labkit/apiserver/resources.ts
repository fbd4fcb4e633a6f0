// Every resource the lab apiserver serves: pods, nodes, namespaces and events here, the workloads
// and services in workload-resources.ts, and how to find a resource's definition.

import type { CoreV1Event, V1Namespace, V1Node, V1Pod } from "@kubernetes/client-node";
import { podColumns } from "./pod-columns.js";
import {
  type Collection,
  metadataFields,
  type ResourceDefinition,
  readVerbs as read,
} from "./resource-definition.js";
import { eventColumns, namespaceColumns, nodeColumns } from "./table-columns.js";
import { workloadResources } from "./workload-resources.js";

const pods: ResourceDefinition<V1Pod> = {
  group: "",
  version: "v1",
  resource: "pods",
  singularName: "pod",
  kind: "Pod",
  namespaced: true,
  model: "V1Pod",
  verbs: read,
  shortNames: ["po"],
  categories: ["all"],
  collection: "pods",
  columns: podColumns,
  subresources: [
    { name: "exec", kind: "PodExecOptions", verbs: ["create", "get"] },
    { name: "log", kind: "Pod", verbs: ["get"] },
  ],
  fields: {
    ...metadataFields<V1Pod>(),
    "spec.nodeName": (pod) => pod.spec?.nodeName ?? "",
    "spec.restartPolicy": (pod) => pod.spec?.restartPolicy ?? "",
    "spec.schedulerName": (pod) => pod.spec?.schedulerName ?? "",
    "spec.serviceAccountName": (pod) => pod.spec?.serviceAccountName ?? "",
    "spec.hostNetwork": (pod) => String(pod.spec?.hostNetwork ?? false),
    "status.phase": (pod) => pod.status?.phase ?? "",
    "status.podIP": (pod) => pod.status?.podIP ?? "",
    "status.nominatedNodeName": (pod) => pod.status?.nominatedNodeName ?? "",
  },
};

const nodes: ResourceDefinition<V1Node> = {
  group: "",
  version: "v1",
  resource: "nodes",
  singularName: "node",
  kind: "Node",
  namespaced: false,
  model: "V1Node",
  verbs: read,
  shortNames: ["no"],
  collection: "nodes",
  columns: nodeColumns,
  fields: {
    ...metadataFields<V1Node>(),
    "spec.unschedulable": (node) => String(node.spec?.unschedulable ?? false),
  },
};

const namespaces: ResourceDefinition<V1Namespace> = {
  group: "",
  version: "v1",
  resource: "namespaces",
  singularName: "namespace",
  kind: "Namespace",
  namespaced: false,
  model: "V1Namespace",
  verbs: read,
  shortNames: ["ns"],
  collection: "namespaces",
  columns: namespaceColumns,
  fields: { ...metadataFields<V1Namespace>(), "status.phase": (ns) => ns.status?.phase ?? "" },
};

const events: ResourceDefinition<CoreV1Event> = {
  group: "",
  version: "v1",
  resource: "events",
  singularName: "event",
  kind: "Event",
  namespaced: true,
  model: "CoreV1Event",
  verbs: ["create", ...read],
  shortNames: ["ev"],
  collection: "events",
  columns: eventColumns,
  // The fields `kubectl describe` and `kubectl events --for` select events by.
  fields: {
    ...metadataFields<CoreV1Event>(),
    "involvedObject.kind": (event) => event.involvedObject.kind ?? "",
    "involvedObject.namespace": (event) => event.involvedObject.namespace ?? "",
    "involvedObject.name": (event) => event.involvedObject.name ?? "",
    "involvedObject.uid": (event) => event.involvedObject.uid ?? "",
    "involvedObject.apiVersion": (event) => event.involvedObject.apiVersion ?? "",
    "involvedObject.resourceVersion": (event) => event.involvedObject.resourceVersion ?? "",
    "involvedObject.fieldPath": (event) => event.involvedObject.fieldPath ?? "",
    reason: (event) => event.reason ?? "",
    reportingComponent: (event) => event.reportingComponent ?? "",
    source: (event) => event.source?.component ?? "",
    type: (event) => event.type ?? "",
  },
};

export const servedResources: ResourceDefinition[] = [
  pods as ResourceDefinition,
  nodes as ResourceDefinition,
  namespaces as ResourceDefinition,
  events as ResourceDefinition,
  ...workloadResources,
];

export const definitionOf = (collection: Collection): ResourceDefinition => {
  const found = servedResources.find((definition) => definition.collection === collection);
  if (found === undefined) throw new Error(`no resource serves ${collection}`);
  return found;
};

export function findResource(
  group: string,
  version: string,
  resource: string,
): ResourceDefinition | undefined {
  return servedResources.find((d) => d.group === group && d.version === version && d.resource === resource);
}
