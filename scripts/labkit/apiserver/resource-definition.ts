// The shape of a served resource: what discovery advertises, how objects print as a table, which
// fields a fieldSelector may use, and which of the store's collections holds the objects.

import type { KubernetesObject } from "@kubernetes/client-node";
import type { SelectableFields } from "./field-selector.js";
import type { TableColumn } from "./table.js";
import type { ModelName } from "./wire.js";

/** The collections the store keeps, one per served resource, named like the resource. */
export const collections = [
  "namespaces",
  "nodes",
  "pods",
  "events",
  "deployments",
  "replicasets",
  "statefulsets",
  "daemonsets",
  "jobs",
  "services",
  "endpoints",
  "endpointslices",
] as const;

export type Collection = (typeof collections)[number];

/** Everything but events, which clients create, comes from polling the source. */
export type PolledCollection = Exclude<Collection, "events">;

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
  collection: Collection;
  subresources?: Subresource[];
}

export const apiVersionOf = (definition: { group: string; version: string }) =>
  definition.group === "" ? definition.version : `${definition.group}/${definition.version}`;

export const readVerbs = ["get", "list", "watch"];

/** The fields every resource indexes. */
export const metadataFields = <T extends KubernetesObject>(): SelectableFields<T> => ({
  "metadata.name": (object) => object.metadata?.name ?? "",
  "metadata.namespace": (object) => object.metadata?.namespace ?? "",
});

/**
 * A namespaced, read-only resource that selects by metadata only, as most of the lab's are;
 * `kubectl get all` lists those in the "all" category.
 */
export function readOnlyResource<T extends KubernetesObject>(
  definition: Pick<ResourceDefinition<T>, "group" | "kind" | "model" | "columns" | "collection"> &
    Partial<Pick<ResourceDefinition<T>, "shortNames" | "categories">>,
): ResourceDefinition<T> {
  return {
    version: "v1",
    resource: definition.collection,
    singularName: definition.kind.toLowerCase(),
    namespaced: true,
    verbs: readVerbs,
    fields: metadataFields<T>(),
    ...definition,
  };
}
