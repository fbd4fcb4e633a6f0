// Which inventory entries speak for a node, and what they say together. Every matching entry
// applies; for each field the most specific one wins: the exact name, then the patterns in file
// order (the first that sets a field wins, as in ~/.ssh/config), then `defaults`.

import { isWildcardPattern, matchPatternList } from "../ssh/host-pattern.js";
import type { Inventory } from "./inventory-load.js";
import type { NodeEntry } from "./inventory-schema.js";

/** A key names one node when it is neither a pattern nor a list; it then needs equality. */
function isExactName(key: string): boolean {
  return !isWildcardPattern(key) && !key.includes(",") && !key.startsWith("!");
}

/** The entries for a node, most specific first, with the keys that matched (for --debug). */
export function matchingEntries(
  inventory: Inventory,
  nodeName: string,
): { keys: string[]; entries: NodeEntry[] } {
  const exact = inventory.nodes.filter(({ pattern }) => isExactName(pattern) && pattern === nodeName);
  const patterns = inventory.nodes.filter(
    ({ pattern }) => !isExactName(pattern) && matchPatternList(nodeName, pattern),
  );
  const matched = [...exact, ...patterns];
  return {
    keys: [...matched.map(({ pattern }) => pattern), "defaults"],
    entries: [...matched.map(({ entry }) => entry), inventory.defaults],
  };
}

/** Field by field, the first entry that sets it wins; socket paths merge one level down. */
export function layerEntries(entries: readonly NodeEntry[]): NodeEntry {
  const merged: Record<string, unknown> = {};
  for (const entry of [...entries].reverse()) {
    for (const [field, value] of Object.entries(entry)) {
      if (value === undefined) continue;
      merged[field] =
        field === "sockets" ? { ...(merged.sockets as object | undefined), ...(value as object) } : value;
    }
  }
  return merged as NodeEntry;
}

/** The node's settings from the inventory; `inInventory` is false when only defaults applied. */
export function inventoryEntryFor(
  inventory: Inventory,
  nodeName: string,
): { entry: NodeEntry; inInventory: boolean } {
  const { entries } = matchingEntries(inventory, nodeName);
  return { entry: layerEntries(entries), inInventory: entries.length > 1 };
}
