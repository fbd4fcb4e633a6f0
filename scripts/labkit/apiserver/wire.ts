// Between client-node's typed objects (Dates, classes) and the JSON on the wire, through
// client-node's own ObjectSerializer, so timestamps and field names come out the way kubectl
// expects and nothing is hand-mapped.
//
// Why the deep import: ObjectSerializer is what client-node's own API classes use, but the
// package's entry point does not export it. It lives at the same path in client-node 1.x and 2.x.

import { ObjectSerializer } from "@kubernetes/client-node/dist/serializer.js";

export type JsonObject = Record<string, unknown>;

/** client-node model names, e.g. "V1Pod", "CoreV1Event", "V1SelfSubjectAccessReview". */
export type ModelName = string;

export function toWire(object: unknown, model: ModelName): JsonObject {
  return ObjectSerializer.serialize(object, model) as JsonObject;
}

export function fromWire<T>(json: unknown, model: ModelName): T {
  return ObjectSerializer.deserialize(json, model) as T;
}
