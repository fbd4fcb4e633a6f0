// A ClusterSource backed by a JSON file ({namespaces, nodes, pods, deployments, services, ...} as
// kubectl would print them), re-read on every poll so editing the file is how a test or a person
// changes the cluster.

import { readFile } from "node:fs/promises";
import { definitionOf } from "./resources.js";
import { type ClusterSnapshot, type ClusterSource, snapshotCollections } from "./source.js";
import { fromWire } from "./wire.js";

const listOf = (json: Record<string, unknown>, key: string): unknown[] => {
  const value = json[key] ?? [];
  if (!Array.isArray(value)) throw new Error(`"${key}" must be an array`);
  return value;
};

/** Parses snapshot JSON into typed objects (timestamps become Dates, as from the real source). */
export function parseSnapshot(text: string): ClusterSnapshot {
  const json: unknown = JSON.parse(text);
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new Error("a cluster snapshot is a JSON object with namespaces, nodes, pods and so on");
  }
  const record = json as Record<string, unknown>;
  const parsed = snapshotCollections.map((key) => {
    const model = definitionOf(key).model;
    return [key, listOf(record, key).map((item) => fromWire(item, model))];
  });
  // Each list went through its own resource's model, so the entries have the snapshot's types.
  return Object.fromEntries(parsed) as ClusterSnapshot;
}

export class FileSource implements ClusterSource {
  constructor(readonly file: string) {}

  async snapshot(): Promise<ClusterSnapshot> {
    const text = await readFile(this.file, "utf8");
    try {
      return parseSnapshot(text);
    } catch (error) {
      throw new Error(`${this.file}: ${(error as Error).message}`, { cause: error });
    }
  }
}
