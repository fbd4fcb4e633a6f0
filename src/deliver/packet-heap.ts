// A binary min-heap of packets by capture time, so that merging N sources with M packets held
// costs O(log M) a packet. On equal times the source added later goes first, as in mergecap
// (which picks the last of the files at the earliest time), so that a merge of files orders
// packets exactly as mergecap does; within one source, packets keep the order they came in.

export interface HeapPacket {
  /** Nanoseconds since the epoch. */
  tsNanos: bigint;
  /** The source's place in the merge: 0 for the first added; the higher goes first on a tie. */
  sourceOrder: number;
  /** Increases with every packet taken in. */
  arrival: number;
}

const before = (a: HeapPacket, b: HeapPacket): boolean =>
  a.tsNanos !== b.tsNanos
    ? a.tsNanos < b.tsNanos
    : a.sourceOrder !== b.sourceOrder
      ? a.sourceOrder > b.sourceOrder
      : a.arrival < b.arrival;

export class PacketHeap<T extends HeapPacket> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    let at = items.push(item) - 1;
    while (at > 0) {
      const parentAt = (at - 1) >> 1;
      const parent = items[parentAt] as T;
      if (!before(item, parent)) break;
      items[at] = parent;
      at = parentAt;
    }
    items[at] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let at = 0;
    for (;;) {
      const leftAt = 2 * at + 1;
      if (leftAt >= items.length) break;
      const rightAt = leftAt + 1;
      const childAt =
        rightAt < items.length && before(items[rightAt] as T, items[leftAt] as T) ? rightAt : leftAt;
      const child = items[childAt] as T;
      if (!before(child, last)) break;
      items[at] = child;
      at = childAt;
    }
    items[at] = last;
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}
