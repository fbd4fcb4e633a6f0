// A ClusterSource backed by a JSON file ({namespaces, nodes, pods} as kubectl would print them),
// re-read on every poll so editing the file is how a test or a person changes the cluster.

import { readFile } from "node:fs/promises";
import type { V1Namespace, V1Node, V1Pod } from "@kubernetes/client-node";
import type { ClusterSnapshot, ClusterSource } from "./source.js";
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
    throw new Error("a cluster snapshot is a JSON object with namespaces, nodes and pods");
  }
  const record = json as Record<string, unknown>;
  return {
    namespaces: listOf(record, "namespaces").map((item) => fromWire<V1Namespace>(item, "V1Namespace")),
    nodes: listOf(record, "nodes").map((item) => fromWire<V1Node>(item, "V1Node")),
    pods: listOf(record, "pods").map((item) => fromWire<V1Pod>(item, "V1Pod")),
  };
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
