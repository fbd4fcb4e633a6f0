// The apiserver's memory: the latest state of every object, a resourceVersion counter like etcd's
// revision, and a bounded history so watches can resume from a resourceVersion. Everything but
// events comes from polling the ClusterSource, running the controllers and diffing; events are
// created by clients.

import { randomUUID } from "node:crypto";
import type { CoreV1Event, KubernetesObject } from "@kubernetes/client-node";
import { type ClusterState, reconcile } from "./controllers.js";
import { apiVersionOf, type Collection, collections, type PolledCollection } from "./resource-definition.js";
import { definitionOf } from "./resources.js";
import type { ClusterSource } from "./source.js";
import { alreadyExists, expired } from "./status.js";
import { fromWire, toWire } from "./wire.js";

export type ChangeType = "ADDED" | "MODIFIED" | "DELETED";

export interface Change {
  type: ChangeType;
  rv: number;
  collection: Collection;
  object: KubernetesObject;
  /** For MODIFIED: the state before, so a filtered watch can tell an object left its selector. */
  previous?: KubernetesObject;
}

export type ChangeListener = (change: Change) => void;

export interface StoreOptions {
  /** How often the source is read; default 500 ms, or 5 s for a source that tells of its changes. */
  pollMs?: number;
  /** Changes kept for watch resumption; older resourceVersions get 410 Expired. Default 1000. */
  historyLimit?: number;
  /** Events kept; the oldest are deleted beyond this. Default 500. */
  eventLimit?: number;
  onError?: (error: unknown) => void;
}

interface Entry {
  object: KubernetesObject;
  /** The object's JSON without resourceVersion: equal fingerprints mean nothing changed. */
  fingerprint: string;
}

const keyOf = (object: KubernetesObject) =>
  `${object.metadata?.namespace ?? ""}/${object.metadata?.name ?? ""}`;
/** How long a change waits for the ones that come with it before the source is read. */
const CHANGE_SETTLE_MS = 20;
const polled = collections.filter((c): c is PolledCollection => c !== "events");

export class ClusterStore {
  private readonly entries = Object.fromEntries(
    collections.map((collection) => [collection, new Map<string, Entry>()]),
  ) as Record<Collection, Map<string, Entry>>;
  private rv = 0;
  private readonly history: Change[] = [];
  /** The newest resourceVersion dropped from history: watches must start at or after it. */
  private compactedRv = 0;
  private readonly listeners = new Set<{ collection: Collection; listener: ChangeListener }>();
  private polling: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private stopChanges = () => {};
  /** A refresh asked for by a change and not yet begun: later changes ride on it. */
  private changeRefresh = false;

  constructor(
    private readonly source: ClusterSource,
    private readonly options: StoreOptions = {},
  ) {}

  /** Reads the source once, then on each change it tells of and every pollMs, until stop(). */
  async start(): Promise<void> {
    this.stopChanges = this.source.changes?.(() => this.changed()) ?? (() => {});
    await this.refresh();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.stopChanges();
  }

  /** A burst of changes (a pod's containers and tasks) is read in one or two snapshots. */
  private changed(): void {
    if (this.changeRefresh || this.stopped) return;
    this.changeRefresh = true;
    setTimeout(() => {
      this.changeRefresh = false;
      void this.refresh();
    }, CHANGE_SETTLE_MS).unref();
  }

  /** Polls now; concurrent calls queue up, so snapshots are applied in order. */
  refresh(): Promise<void> {
    this.polling = this.polling.then(async () => {
      try {
        this.apply(reconcile(await this.source.snapshot()));
      } catch (error) {
        // Keep serving the last good state: a half-written file or a busy runtime is transient.
        this.options.onError?.(error);
      }
    });
    return this.polling;
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  list(collection: Collection): KubernetesObject[] {
    return [...this.entries[collection].entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, entry]) => entry.object);
  }

  get(collection: Collection, namespace: string, name: string): KubernetesObject | undefined {
    return this.entries[collection].get(`${namespace}/${name}`)?.object;
  }

  /**
   * Calls `listener` for every change to `collection` after resourceVersion `since`; without
   * `since` (or 0) it first replays the current objects as ADDED, like kube-apiserver.
   * Throws ApiError 410 when `since` is older than the kept history. Returns the unsubscribe.
   */
  watch(collection: Collection, since: number | undefined, listener: ChangeListener): () => void {
    if (since === undefined || since === 0) {
      for (const object of this.list(collection)) {
        listener({ type: "ADDED", rv: Number(object.metadata?.resourceVersion), collection, object });
      }
    } else {
      if (since < this.compactedRv) throw expired(since, this.compactedRv + 1);
      for (const change of this.history) {
        if (change.collection === collection && change.rv > since) listener(change);
      }
    }
    const subscription = { collection, listener };
    this.listeners.add(subscription);
    return () => this.listeners.delete(subscription);
  }

  /** Stores a new event (name from generateName if needed); throws ApiError 409 on a taken name. */
  createEvent(event: CoreV1Event): CoreV1Event {
    const metadata = { ...event.metadata };
    metadata.name ||= `${metadata.generateName ?? "event."}${randomUUID().slice(0, 5)}`;
    if (this.get("events", metadata.namespace ?? "", metadata.name)) {
      throw alreadyExists("events", metadata.name);
    }
    const stored = this.record("events", this.prepare("events", { ...event, metadata }), "ADDED");
    const limit = this.options.eventLimit ?? 500;
    for (const [key, entry] of this.entries.events) {
      if (this.entries.events.size <= limit) break;
      this.remove("events", key, entry);
    }
    return stored as CoreV1Event;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(
      () => void this.refresh().then(() => this.schedule()),
      this.options.pollMs ?? (this.source.changes ? 5000 : 500),
    );
    this.timer.unref();
  }

  private apply(state: ClusterState): void {
    for (const collection of polled) {
      const incoming = new Map(state[collection].map((object) => [keyOf(object), object]));
      for (const [key, entry] of this.entries[collection]) {
        if (!incoming.has(key)) this.remove(collection, key, entry);
      }
      for (const [key, object] of incoming) this.upsert(collection, key, object);
    }
  }

  private upsert(collection: Collection, key: string, object: KubernetesObject): void {
    const existing = this.entries[collection].get(key);
    const uid = object.metadata?.uid;
    // Same name, new uid: the object was deleted and created again between two polls.
    const replaced = existing !== undefined && uid !== undefined && uid !== existing.object.metadata?.uid;
    if (replaced) this.remove(collection, key, existing);
    const current = replaced ? undefined : existing;
    const prepared = this.prepare(collection, object, current?.object);
    if (current?.fingerprint === prepared.fingerprint) return;
    this.record(collection, prepared, current === undefined ? "ADDED" : "MODIFIED", current?.object);
  }

  /**
   * Normalizes an object as the apiserver would store it: typed through client-node's serializer
   * (a source may hand strings where Dates belong), apiVersion and kind set, and uid and
   * creationTimestamp filled in, kept from the previous version when the source leaves them out.
   */
  private prepare(collection: Collection, object: KubernetesObject, previous?: KubernetesObject): Entry {
    const definition = definitionOf(collection);
    const typed = fromWire<KubernetesObject>(JSON.parse(JSON.stringify(object)), definition.model);
    const metadata = { ...typed.metadata };
    delete metadata.resourceVersion;
    metadata.uid ??= previous?.metadata?.uid ?? randomUUID();
    metadata.creationTimestamp ??= previous?.metadata?.creationTimestamp ?? new Date();
    const prepared = { ...typed, apiVersion: apiVersionOf(definition), kind: definition.kind, metadata };
    return { object: prepared, fingerprint: JSON.stringify(toWire(prepared, definition.model)) };
  }

  private record(collection: Collection, entry: Entry, type: ChangeType, previous?: KubernetesObject) {
    const rv = ++this.rv;
    const object = { ...entry.object, metadata: { ...entry.object.metadata, resourceVersion: String(rv) } };
    if (type !== "DELETED") {
      this.entries[collection].set(keyOf(object), { object, fingerprint: entry.fingerprint });
    }
    this.publish({ type, rv, collection, object, previous });
    return object;
  }

  private remove(collection: Collection, key: string, entry: Entry): void {
    this.entries[collection].delete(key);
    this.record(collection, entry, "DELETED");
  }

  private publish(change: Change): void {
    this.history.push(change);
    while (this.history.length > (this.options.historyLimit ?? 1000)) {
      this.compactedRv = this.history.shift()?.rv ?? this.compactedRv;
    }
    for (const { collection, listener } of this.listeners) {
      if (collection !== change.collection) continue;
      try {
        listener(change);
      } catch (error) {
        this.options.onError?.(error);
      }
    }
  }
}
