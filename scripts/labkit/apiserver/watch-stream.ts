// `?watch=true`: newline-delimited JSON {type, object} events over a chunked response. The store
// replays what the client missed since its resourceVersion (or everything current as ADDED), then
// streams changes until timeoutSeconds or the client leaves. Like kube-apiserver, a filtered watch
// reports an object that stops matching its selector as DELETED and one that starts as ADDED.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { KubernetesObject } from "@kubernetes/client-node";
import type { ObjectFilter } from "./list-query.js";
import { type Rendering, renderObject } from "./representations.js";
import type { ResourceDefinition } from "./resource-definition.js";
import { ApiError } from "./status.js";
import type { Change, ChangeType, ClusterStore } from "./store.js";

export interface WatchRequest {
  definition: ResourceDefinition;
  filter: ObjectFilter;
  sinceRv: number | undefined;
  timeoutMs: number;
  rendering: Rendering;
}

/** What a client with this filter sees of a change, or nothing if the object never concerned it. */
export function visibleChange(change: Change, filter: ObjectFilter): ChangeType | undefined {
  const now = filter(change.object);
  if (change.type !== "MODIFIED") return now ? change.type : undefined;
  const before = change.previous !== undefined && filter(change.previous);
  if (now) return before ? "MODIFIED" : "ADDED";
  return before ? "DELETED" : undefined;
}

export function serveWatch(
  store: ClusterStore,
  req: IncomingMessage,
  res: ServerResponse,
  watch: WatchRequest,
): void {
  const { definition, rendering } = watch;
  const collection = definition.collection;
  res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private" });
  res.flushHeaders();

  let first = true;
  const send = (type: ChangeType | "ERROR", object: unknown) => {
    if (res.writableEnded) return;
    res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const sendObject = (type: ChangeType, object: KubernetesObject) => {
    // Tables carry their column definitions on the first event only, as kube-apiserver sends them.
    send(type, renderObject(definition, object, rendering, first));
    first = false;
  };

  let unsubscribe = () => {};
  const finish = () => {
    clearTimeout(timer);
    unsubscribe();
  };
  const timer = setTimeout(() => {
    finish();
    res.end();
  }, watch.timeoutMs);
  req.on("close", finish);
  res.on("close", finish);

  try {
    unsubscribe = store.watch(collection, watch.sinceRv, (change) => {
      const type = visibleChange(change, watch.filter);
      if (type !== undefined) sendObject(type, change.object);
    });
  } catch (error) {
    // A too-old resourceVersion is reported inside the stream, as kube-apiserver's watch cache
    // does; client-go and client-node then list again.
    if (!(error instanceof ApiError)) throw error;
    send("ERROR", error.status);
    res.end();
  }
}
