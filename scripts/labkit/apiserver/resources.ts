// Every resource the lab apiserver serves: what discovery advertises, how objects print as a
// table, which fields a fieldSelector may use, and where the objects come from. Resources with no
// collection answer with empty lists: discovery looks like a cluster's and `kubectl get deploy`
// says "No resources found" instead of failing.

import type { CoreV1Event, KubernetesObject, V1Namespace, V1Node, V1Pod } from "@kubernetes/client-node";
import type { SelectableFields } from "./field-selector.js";
import { podColumns } from "./pod-columns.js";
import type { TableColumn } from "./table.js";
import { eventColumns, nameAgeColumns, namespaceColumns, nodeColumns } from "./table-columns.js";
import type { ModelName } from "./wire.js";

/** The collections the store keeps. */
export type Collection = "namespaces" | "nodes" | "pods" | "events";

export interface Subresource {
  name: string;
  kind: string;
  verbs: string[];
}

export interface ResourceDefinition<T extends KubernetesObject = KubernetesObject> {
  group: string;
  version: string;
  resource: string;
  singularName: string;
  kind: string;
  namespaced: boolean;
  /** client-node model used to serialize and deserialize the objects. */
  model: ModelName;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  fields: SelectableFields<T>;
  columns: TableColumn<T>[];
  /** Where the objects live; none means the resource is always empty. */
  collection?: Collection;
  subresources?: Subresource[];
}

export const apiVersionOf = (definition: { group: string; version: string }) =>
  definition.group === "" ? definition.version : `${definition.group}/${definition.version}`;

const read = ["get", "list", "watch"];

const metadataFields = <T extends KubernetesObject>(): SelectableFields<T> => ({
  "metadata.name": (object) => object.metadata?.name ?? "",
  "metadata.namespace": (object) => object.metadata?.namespace ?? "",
});

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

// Empty everywhere in the lab, listed so discovery and `kubectl get` behave as on a cluster.
function alwaysEmpty(group: string, resource: string, kind: string, model: ModelName, shortName: string) {
  return {
    group,
    version: "v1",
    resource,
    singularName: kind.toLowerCase(),
    kind,
    namespaced: true,
    model,
    verbs: read,
    shortNames: [shortName],
    columns: nameAgeColumns(),
    fields: metadataFields(),
  } satisfies ResourceDefinition;
}

export const servedResources: ResourceDefinition[] = [
  pods as ResourceDefinition,
  nodes as ResourceDefinition,
  namespaces as ResourceDefinition,
  events as ResourceDefinition,
  alwaysEmpty("", "services", "Service", "V1Service", "svc"),
  alwaysEmpty("", "endpoints", "Endpoints", "V1Endpoints", "ep"),
  alwaysEmpty("apps", "deployments", "Deployment", "V1Deployment", "deploy"),
  alwaysEmpty("apps", "statefulsets", "StatefulSet", "V1StatefulSet", "sts"),
  alwaysEmpty("apps", "daemonsets", "DaemonSet", "V1DaemonSet", "ds"),
  alwaysEmpty("apps", "replicasets", "ReplicaSet", "V1ReplicaSet", "rs"),
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
