// Server-side printing: `kubectl get` asks for a meta.k8s.io Table and prints its cells as they
// come, so the lab's columns are the ones users know from real clusters. client-node has no Table
// model, so the few types are declared here.

import type { KubernetesObject, V1ListMeta } from "@kubernetes/client-node";
import { ageOf } from "./human-duration.js";
import type { JsonObject } from "./wire.js";

export interface TableColumn<T> {
  /** As the apiserver names it ("Nominated Node"); kubectl upper-cases it for the header. */
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  format?: "name" | "";
  description: string;
  /** 1 = only with `-o wide`. */
  priority?: 0 | 1;
  cell: (object: T, now: Date) => string | number;
}

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: (string | number)[];
  object?: JsonObject;
}

export interface Table {
  kind: "Table";
  apiVersion: string;
  metadata: V1ListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** The `includeObject` query parameter; kubectl leaves it at Metadata unless it needs the whole object. */
export type IncludeObject = "None" | "Metadata" | "Object";

export interface PrintableObject<T> {
  typed: T;
  wire: JsonObject;
}

export interface TableOptions {
  /** meta.k8s.io/v1 or meta.k8s.io/v1beta1, whichever the client accepted. */
  apiVersion: string;
  includeObject: IncludeObject;
  resourceVersion?: string;
  /** Watches send the definitions with the first event only, as kube-apiserver does. */
  withColumns?: boolean;
  now?: Date;
}

export const nameColumn = <T extends KubernetesObject>(): TableColumn<T> => ({
  name: "Name",
  type: "string",
  format: "name",
  description: "Name must be unique within a namespace.",
  cell: (object) => object.metadata?.name ?? "",
});

export const ageColumn = <T extends KubernetesObject>(): TableColumn<T> => ({
  name: "Age",
  type: "string",
  description: "CreationTimestamp of the object.",
  cell: (object, now) => ageOf(object.metadata?.creationTimestamp, now),
});

export function partialObjectMetadata(wire: JsonObject, apiVersion = "meta.k8s.io/v1"): JsonObject {
  return { kind: "PartialObjectMetadata", apiVersion, metadata: wire.metadata ?? {} };
}

function rowObject(wire: JsonObject, options: TableOptions): JsonObject | undefined {
  if (options.includeObject === "None") return undefined;
  return options.includeObject === "Object" ? wire : partialObjectMetadata(wire, options.apiVersion);
}

export function renderTable<T>(
  columns: TableColumn<T>[],
  objects: PrintableObject<T>[],
  options: TableOptions,
): Table {
  const now = options.now ?? new Date();
  return {
    kind: "Table",
    apiVersion: options.apiVersion,
    metadata: options.resourceVersion === undefined ? {} : { resourceVersion: options.resourceVersion },
    columnDefinitions:
      options.withColumns === false
        ? []
        : columns.map((column) => ({
            name: column.name,
            type: column.type,
            format: column.format ?? "",
            description: column.description,
            priority: column.priority ?? 0,
          })),
    rows: objects.map(({ typed, wire }) => ({
      cells: columns.map((column) => column.cell(typed, now)),
      object: rowObject(wire, options),
    })),
  };
}
