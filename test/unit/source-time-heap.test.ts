// The heap a merge of files turns on: sources come out earliest first, ties to the later
// source (mergecap's rule), and replaceTop merges sorted lists as a sort of them all would.

import { describe, expect, it } from "vitest";
import { SourceTimeHeap } from "../../src/deliver/source-time-heap.js";
import { seeded } from "./pcap-tools.js";

interface Stamp {
  source: number;
  high: number;
  low: number;
  index: number;
}

/** The order a merge must give: time, then the later source, then the source's own order. */
const reference = (a: Stamp, b: Stamp) =>
  a.high - b.high || a.low - b.low || b.source - a.source || a.index - b.index;

describe("SourceTimeHeap", () => {
  it("is empty at first and after its last source goes", () => {
    const heap = new SourceTimeHeap(1);
    expect(heap.top).toBe(-1);
    heap.push(0, 5, 5);
    expect(heap.top).toBe(0);
    heap.pop();
    expect([heap.top, heap.size]).toEqual([-1, 0]);
    heap.pop();
    expect(heap.size).toBe(0);
  });

  it("orders by the high word before the low one, and a tie goes to the higher id", () => {
    const heap = new SourceTimeHeap(4);
    heap.push(0, 1, 0xffff_ffff);
    heap.push(1, 2, 0);
    heap.push(2, 1, 0xffff_ffff);
    heap.push(3, 1, 7);
    const order: number[] = [];
    while (heap.size > 0) {
      order.push(heap.top);
      heap.pop();
    }
    expect(order).toEqual([3, 2, 0, 1]);
  });

  it.each([1, 2, 3, 8, 33])("merges %i sorted sources with ties as a sort of all their stamps", (sources) => {
    const next = seeded(sources);
    const lists: Stamp[][] = Array.from({ length: sources }, (_, source) => {
      let high = 0;
      let low = 0;
      return Array.from({ length: 200 }, (_, index) => {
        if (next(10) === 0) high += 1;
        low = next(4) === 0 ? low : (low + next(3)) % 4;
        return { source, high, low, index };
      }).sort(reference);
    });
    const heap = new SourceTimeHeap(sources);
    const at = lists.map(() => 0);
    for (const [source, list] of lists.entries()) heap.push(source, list[0]?.high ?? 0, list[0]?.low ?? 0);
    const merged: Stamp[] = [];
    while (heap.size > 0) {
      const source = heap.top;
      const list = lists[source] as Stamp[];
      merged.push(list[at[source] as number] as Stamp);
      at[source] = (at[source] as number) + 1;
      const next = list[at[source] as number];
      if (next) heap.replaceTop(next.high, next.low);
      else heap.pop();
    }
    expect(merged).toEqual(lists.flat().sort(reference));
  });
});
