import type { V1Pod } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import type { ClusterSnapshot, ClusterSource } from "../../scripts/labkit/apiserver/source.js";
import { type Change, ClusterStore } from "../../scripts/labkit/apiserver/store.js";

/** A source the test edits in place; `failNext` makes the next poll throw. */
class FakeSource implements ClusterSource {
  snapshotValue: ClusterSnapshot = { namespaces: [], nodes: [], pods: [] };
  failNext = false;
  async snapshot(): Promise<ClusterSnapshot> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error("runtime busy");
    }
    return structuredClone(this.snapshotValue);
  }
}

const pod = (name: string, labels: Record<string, string> = {}, uid?: string): V1Pod => ({
  metadata: { name, namespace: "demo", labels, uid },
  spec: { containers: [{ name: "main" }] },
});

const stores: ClusterStore[] = [];
function newStore(options: ConstructorParameters<typeof ClusterStore>[1] = {}) {
  const source = new FakeSource();
  const errors: unknown[] = [];
  const store = new ClusterStore(source, { pollMs: 60_000, onError: (e) => errors.push(e), ...options });
  stores.push(store);
  return { source, store, errors };
}
afterEach(() => {
  for (const store of stores.splice(0)) store.stop();
});

const summary = (changes: Change[]) => changes.map((c) => `${c.type} ${c.object.metadata?.name} ${c.rv}`);

describe("ClusterStore", () => {
  it("diffs snapshots into ADDED, MODIFIED and DELETED with increasing resourceVersions", async () => {
    const { source, store } = newStore();
    const seen: Change[] = [];
    store.watch("pods", undefined, (change) => seen.push(change));
    source.snapshotValue.pods = [pod("a"), pod("b")];
    await store.refresh();
    source.snapshotValue.pods = [pod("a", { v: "2" })];
    await store.refresh();
    await store.refresh(); // nothing changed: nothing to say
    expect(summary(seen)).toEqual(["ADDED a 1", "ADDED b 2", "DELETED b 3", "MODIFIED a 4"]);
    expect(store.resourceVersion).toBe("4");
    expect(store.get("pods", "demo", "a")).toMatchObject({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { resourceVersion: "4" },
    });
    expect(seen[3]?.previous?.metadata?.labels).toEqual({});
  });

  it("keeps uid and creationTimestamp it filled in, and sees a new uid as delete plus create", async () => {
    const { source, store } = newStore();
    source.snapshotValue.pods = [pod("a")];
    await store.refresh();
    const first = store.get("pods", "demo", "a")?.metadata;
    await store.refresh();
    expect(store.get("pods", "demo", "a")?.metadata).toEqual(first);
    expect(first?.creationTimestamp).toBeInstanceOf(Date);

    const seen: Change[] = [];
    store.watch("pods", Number(store.resourceVersion), (change) => seen.push(change));
    source.snapshotValue.pods = [pod("a", {}, "new-uid")];
    await store.refresh();
    expect(seen.map((c) => `${c.type} ${c.object.metadata?.uid}`)).toEqual([
      `DELETED ${first?.uid}`,
      "ADDED new-uid",
    ]);
  });

  it("accepts timestamps as strings from a source that did not deserialize", async () => {
    const { source, store } = newStore();
    source.snapshotValue.pods = [
      {
        ...pod("a"),
        metadata: {
          name: "a",
          namespace: "demo",
          creationTimestamp: "2025-01-01T00:00:00Z" as unknown as Date,
        },
      },
    ];
    await store.refresh();
    expect(store.get("pods", "demo", "a")?.metadata?.creationTimestamp).toEqual(
      new Date("2025-01-01T00:00:00Z"),
    );
  });

  it("replays current objects as ADDED without a resourceVersion and history after one", async () => {
    const { source, store } = newStore();
    source.snapshotValue.pods = [pod("b"), pod("a")];
    await store.refresh();
    source.snapshotValue.pods = [pod("a")];
    await store.refresh();
    const fresh: Change[] = [];
    store.watch("pods", 0, (change) => fresh.push(change));
    expect(summary(fresh)).toEqual(["ADDED a 2"]);
    const resumed: Change[] = [];
    store.watch("pods", 1, (change) => resumed.push(change));
    expect(summary(resumed)).toEqual(["ADDED a 2", "DELETED b 3"]);
    expect(store.list("pods").map((p) => p.metadata?.name)).toEqual(["a"]);
  });

  it("expires resourceVersions that fell out of the bounded history", async () => {
    const { source, store } = newStore({ historyLimit: 2 });
    for (const version of ["1", "2", "3"]) {
      source.snapshotValue.pods = [pod("a", { version })];
      await store.refresh();
    }
    expect(() => store.watch("pods", 1, () => {})).not.toThrow();
    source.snapshotValue.pods = [pod("a", { version: "4" })];
    await store.refresh();
    expect(() => store.watch("pods", 1, () => {})).toThrow("too old resource version: 1 (3)");
    expect(() => store.watch("pods", 2, () => {})).not.toThrow();
  });

  it("keeps the last good state when the source fails", async () => {
    const { source, store, errors } = newStore();
    source.snapshotValue.pods = [pod("a")];
    await store.refresh();
    source.failNext = true;
    await store.refresh();
    expect(errors).toHaveLength(1);
    expect(store.list("pods")).toHaveLength(1);
  });

  it("names, stores and caps events", async () => {
    const { store } = newStore({ eventLimit: 2 });
    const event = (name: string) => ({
      metadata: { name, namespace: "demo" },
      involvedObject: { kind: "Pod", name: "a" },
    });
    const seen: Change[] = [];
    store.watch("events", undefined, (change) => seen.push(change));
    const generated = store.createEvent({
      metadata: { generateName: "a.", namespace: "demo" },
      involvedObject: {},
    });
    expect(generated.metadata.name).toMatch(/^a\.[0-9a-f]{5}$/);
    store.createEvent(event("e2"));
    expect(() => store.createEvent(event("e2"))).toThrow('events "e2" already exists');
    store.createEvent(event("e3"));
    expect(store.list("events").map((e) => e.metadata?.name)).toEqual(["e2", "e3"]);
    expect(seen.map((c) => c.type)).toEqual(["ADDED", "ADDED", "ADDED", "DELETED"]);
  });

  it("stops notifying after unsubscribe", async () => {
    const { source, store } = newStore();
    const seen: Change[] = [];
    const unsubscribe = store.watch("pods", undefined, (change) => seen.push(change));
    unsubscribe();
    source.snapshotValue.pods = [pod("a")];
    await store.refresh();
    expect(seen).toEqual([]);
  });

  it("reads a source that tells of its changes on each burst of them, and stops listening with the store", async () => {
    const source = new FakeSource();
    let reads = 0;
    const snapshot = source.snapshot.bind(source);
    source.snapshot = () => {
      reads += 1;
      return snapshot();
    };
    let tell = () => {};
    let listening = false;
    const told: ClusterSource = {
      snapshot: () => source.snapshot(),
      changes: (onChange) => {
        tell = onChange;
        listening = true;
        return () => {
          listening = false;
        };
      },
    };
    const store = new ClusterStore(told, { pollMs: 60_000 });
    stores.push(store);
    await store.start();
    expect(reads).toBe(1);
    source.snapshotValue.pods = [pod("a")];
    for (let i = 0; i < 10; i += 1) tell();
    await new Promise((settled) => setTimeout(settled, 100));
    expect(reads).toBe(2);
    expect(store.get("pods", "demo", "a")).toBeDefined();
    store.stop();
    expect(listening).toBe(false);
  });
});
