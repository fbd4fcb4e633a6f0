// get, list, watch and create on the served resources, after authentication and authorization.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { CoreV1Event } from "@kubernetes/client-node";
import { readJsonBody, sendJson } from "./http-io.js";
import { listFilter, resourceVersionParam, watchTimeoutMs } from "./list-query.js";
import { negotiate } from "./negotiation.js";
import { includeObjectParam, type Rendering, renderList, renderObject } from "./representations.js";
import type { ResourceRequestInfo } from "./request-info.js";
import type { ResourceDefinition } from "./resource-definition.js";
import { findResource } from "./resources.js";
import { badRequest, invalid, methodNotAllowed, notFound, pathNotFound } from "./status.js";
import type { ClusterStore } from "./store.js";
import { serveWatch } from "./watch-stream.js";
import { fromWire, toWire } from "./wire.js";

export interface ResourceCall {
  store: ClusterStore;
  info: ResourceRequestInfo;
  url: URL;
  req: IncomingMessage;
  res: ServerResponse;
}

function definitionFor(info: ResourceRequestInfo): ResourceDefinition {
  const definition = findResource(info.group, info.version, info.resource);
  // A cluster-scoped resource under /namespaces/NS/ does not exist, as on a real apiserver.
  const misplaced =
    definition !== undefined &&
    !definition.namespaced &&
    info.namespace !== "" &&
    info.resource !== "namespaces";
  if (definition === undefined || misplaced) throw pathNotFound();
  return definition;
}

function renderingFor(call: ResourceCall): Rendering {
  return {
    representation: negotiate(call.req.headers.accept),
    includeObject: includeObjectParam(call.url.searchParams),
  };
}

function getOne(call: ResourceCall, definition: ResourceDefinition): void {
  const { info } = call;
  const namespace = definition.namespaced ? info.namespace : "";
  const object = call.store.get(definition.collection, namespace, info.name);
  if (!object) throw notFound(definition.resource, info.name, definition.group);
  sendJson(call.res, 200, renderObject(definition, object, renderingFor(call)));
}

function list(call: ResourceCall, definition: ResourceDefinition): void {
  const filter = listFilter(definition, call.info.namespace, call.url.searchParams);
  const objects = call.store.list(definition.collection).filter(filter);
  sendJson(call.res, 200, renderList(definition, objects, call.store.resourceVersion, renderingFor(call)));
}

function watch(call: ResourceCall, definition: ResourceDefinition): void {
  const params = call.url.searchParams;
  serveWatch(call.store, call.req, call.res, {
    definition,
    filter: listFilter(definition, call.info.namespace, params),
    sinceRv: resourceVersionParam(params),
    timeoutMs: watchTimeoutMs(params),
    rendering: renderingFor(call),
  });
}

/** Events are the one thing clients write: podcap records what it captured, the lab what it did. */
async function createEvent(call: ResourceCall, definition: ResourceDefinition): Promise<void> {
  const namespace = call.info.namespace;
  const event = fromWire<CoreV1Event>(await readJsonBody(call.req), definition.model);
  const name = event.metadata?.name || event.metadata?.generateName || "";
  if (event.metadata?.namespace && event.metadata.namespace !== namespace) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
  if (namespace === "") throw badRequest("an event must be created in a namespace");
  if (!event.involvedObject?.kind || !event.involvedObject.name) {
    throw invalid("Event", name, "involvedObject: Required value: kind and name");
  }
  const stored = call.store.createEvent({ ...event, metadata: { ...event.metadata, namespace } });
  sendJson(call.res, 201, toWire(stored, definition.model));
}

export async function handleResource(call: ResourceCall): Promise<void> {
  const definition = definitionFor(call.info);
  const { verb, subresource } = call.info;
  // exec, log and the like are advertised (kubectl checks they exist) but podcap needs none of
  // them: it reaches containers over SSH on the node.
  if (subresource !== "")
    throw methodNotAllowed(`${definition.resource}/${subresource} is not served by the podcap lab apiserver`);
  if (!definition.verbs.includes(verb)) throw methodNotAllowed();
  switch (verb) {
    case "get":
      return getOne(call, definition);
    case "list":
      return list(call, definition);
    case "watch":
      return watch(call, definition);
    case "create":
      if (definition.collection === "events") return createEvent(call, definition);
      throw methodNotAllowed();
    default:
      throw methodNotAllowed();
  }
}
