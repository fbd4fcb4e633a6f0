// Which objects a list or watch request wants: its namespace, labelSelector and fieldSelector,
// combined into one predicate. Bad selectors are 400s, as on a real cluster.

import type { KubernetesObject } from "@kubernetes/client-node";
import { compileFieldSelector } from "./field-selector.js";
import { matchesLabels, parseLabelSelector, SelectorSyntaxError } from "./label-selector.js";
import type { ResourceDefinition } from "./resource-definition.js";
import { badRequest } from "./status.js";

export type ObjectFilter = (object: KubernetesObject) => boolean;

export function listFilter(
  definition: ResourceDefinition,
  namespace: string,
  params: URLSearchParams,
): ObjectFilter {
  try {
    const labels = parseLabelSelector(params.get("labelSelector") ?? "");
    const fields = compileFieldSelector(params.get("fieldSelector") ?? "", definition.fields);
    const inScope = (object: KubernetesObject) =>
      !definition.namespaced || namespace === "" || object.metadata?.namespace === namespace;
    return (object) => inScope(object) && matchesLabels(labels, object.metadata?.labels) && fields(object);
  } catch (error) {
    if (error instanceof SelectorSyntaxError) throw badRequest(error.message);
    throw error;
  }
}

/** `resourceVersion` as a number; "" and absent mean "from the current state". */
export function resourceVersionParam(params: URLSearchParams): number | undefined {
  const text = params.get("resourceVersion") ?? "";
  if (text === "") return undefined;
  const rv = Number(text);
  if (!Number.isSafeInteger(rv) || rv < 0) throw badRequest(`invalid resource version: ${text}`);
  return rv;
}

/** `timeoutSeconds` for watches; without it the lab closes a watch after 30 minutes, like the apiserver's default range. */
export function watchTimeoutMs(params: URLSearchParams): number {
  const text = params.get("timeoutSeconds");
  const seconds = text === null ? 1800 : Number(text);
  if (!Number.isFinite(seconds) || seconds < 0) throw badRequest(`invalid timeoutSeconds: ${text}`);
  return seconds * 1000;
}
