// How stored objects go out: as themselves, as a Table for kubectl, or as metadata only, for a
// single object, a list, or one watch event.

import type { KubernetesObject } from "@kubernetes/client-node";
import type { Representation } from "./negotiation.js";
import { apiVersionOf, type ResourceDefinition } from "./resource-definition.js";
import { type IncludeObject, partialObjectMetadata, renderTable } from "./table.js";
import { type JsonObject, toWire } from "./wire.js";

export interface Rendering {
  representation: Representation;
  /** The `includeObject` parameter of table requests. */
  includeObject: IncludeObject;
}

export function includeObjectParam(params: URLSearchParams): IncludeObject {
  const value = params.get("includeObject");
  return value === "None" || value === "Object" ? value : "Metadata";
}

const wireOf = (definition: ResourceDefinition, object: KubernetesObject) => toWire(object, definition.model);

/** A list response; `resourceVersion` is the store's, so a watch can start right after it. */
export function renderList(
  definition: ResourceDefinition,
  objects: KubernetesObject[],
  resourceVersion: string,
  rendering: Rendering,
): JsonObject {
  const { representation } = rendering;
  const wire = objects.map((object) => wireOf(definition, object));
  if (representation.as === "Table") {
    const printable = objects.map((typed, i) => ({ typed, wire: wire[i] ?? {} }));
    return {
      ...renderTable(definition.columns, printable, { ...representation, ...rendering, resourceVersion }),
    };
  }
  if (representation.as === "PartialObjectMetadata") {
    return {
      kind: "PartialObjectMetadataList",
      apiVersion: representation.apiVersion,
      metadata: { resourceVersion },
      items: wire.map((item) => partialObjectMetadata(item, representation.apiVersion)),
    };
  }
  return {
    kind: `${definition.kind}List`,
    apiVersion: apiVersionOf(definition),
    metadata: { resourceVersion },
    items: wire,
  };
}

/** One object, for a get or a watch event; a Table has one row then. */
export function renderObject(
  definition: ResourceDefinition,
  object: KubernetesObject,
  rendering: Rendering,
  withColumns = true,
): JsonObject {
  const { representation } = rendering;
  const wire = wireOf(definition, object);
  if (representation.as === "Table") {
    const rows = [{ typed: object, wire }];
    const resourceVersion = object.metadata?.resourceVersion;
    return {
      ...renderTable(definition.columns, rows, {
        ...representation,
        ...rendering,
        resourceVersion,
        withColumns,
      }),
    };
  }
  if (representation.as === "PartialObjectMetadata")
    return partialObjectMetadata(wire, representation.apiVersion);
  return wire;
}
