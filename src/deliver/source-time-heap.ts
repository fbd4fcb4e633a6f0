// A min-heap of merge sources (ids 0..n-1) keyed on the timestamp of each one's next packet, as
// the two 32-bit words an Enhanced Packet Block stores. Numbers in typed arrays, no objects and no
// BigInt, because a merge of files does one heap step a packet. On equal times the higher id goes
// first: mergecap takes the last of the files at the earliest time, and so a merge orders
// packets exactly as mergecap does. Within one source, order is the source's own.

export class SourceTimeHeap {
  private readonly high: Float64Array;
  private readonly low: Float64Array;
  private readonly ids: Int32Array;
  private count = 0;

  /** @param sources how many ids there are: 0 to sources - 1. */
  constructor(sources: number) {
    this.high = new Float64Array(sources);
    this.low = new Float64Array(sources);
    this.ids = new Int32Array(sources);
  }

  get size(): number {
    return this.count;
  }

  /** The source whose packet is earliest; -1 when none is left. */
  get top(): number {
    return this.count > 0 ? (this.ids[0] as number) : -1;
  }

  /** Adds source `id` (not already in), its next packet at (high, low). */
  push(id: number, high: number, low: number): void {
    this.high[id] = high;
    this.low[id] = low;
    let at = this.count++;
    while (at > 0) {
      const parentAt = (at - 1) >> 1;
      const parent = this.ids[parentAt] as number;
      if (!this.before(id, parent)) break;
      this.ids[at] = parent;
      at = parentAt;
    }
    this.ids[at] = id;
  }

  /** The top source's next packet is now at (high, low): one sift, rather than a pop and a push. */
  replaceTop(high: number, low: number): void {
    const id = this.ids[0] as number;
    this.high[id] = high;
    this.low[id] = low;
    this.siftDown(id);
  }

  /** Removes the top source, which has no packet left. */
  pop(): void {
    if (this.count === 0) return;
    this.count -= 1;
    if (this.count > 0) this.siftDown(this.ids[this.count] as number);
  }

  private siftDown(id: number): void {
    const ids = this.ids;
    const count = this.count;
    let at = 0;
    for (;;) {
      const leftAt = 2 * at + 1;
      if (leftAt >= count) break;
      const rightAt = leftAt + 1;
      let childAt = leftAt;
      if (rightAt < count && this.before(ids[rightAt] as number, ids[leftAt] as number)) childAt = rightAt;
      const child = ids[childAt] as number;
      if (!this.before(child, id)) break;
      ids[at] = child;
      at = childAt;
    }
    ids[at] = id;
  }

  private before(a: number, b: number): boolean {
    const highA = this.high[a] as number;
    const highB = this.high[b] as number;
    if (highA !== highB) return highA < highB;
    const lowA = this.low[a] as number;
    const lowB = this.low[b] as number;
    return lowA !== lowB ? lowA < lowB : a > b;
  }
}
