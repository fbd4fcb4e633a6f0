// Merges live pcap streams, one per pod interface (each pod's `tcpdump -U -w -` over SSH), into
// one pcapng on a stream the caller owns: one Interface Description Block per source, written
// when its pcap header arrives, and its packets in capture-time order across sources.
//
// The ordering rule. Packets wait in a min-heap keyed on capture time, then source (on a tie the
// source added later first, as in mergecap), and the earliest is written as soon as one holds:
// - every source still open has shown a packet at or after its time (nothing earlier can come
//   from them, as each source's packets come in time order); a source that has shown no packet
//   yet, only a header or nothing, holds packets back, but only as long as the next rule allows;
// - a packet has been held maxDelayMs of wall time: then it and everything before it in the heap
//   go out, so a quiet source delays the others by at most maxDelayMs (tcpdump -U hands packets
//   over up to about a second late);
// - the bytes held pass maxBufferedBytes: the earliest go out until they fit again.
// Sources that ended, or failed, hold nothing back. A packet that arrives earlier than one
// already written cannot be put in order any more: it goes out at once, counted in outOfOrder.
//
// Memory stays bounded: while the bytes held pass maxBufferedBytes, a source's write callback
// waits, so backpressure reaches its SSH channel; the heap then holds at most the cap plus one
// chunk per source (and the record that chunk completes). The output's backpressure is respected too (we wait for 'drain'), and a
// slow output fills the heap up to that cap, not further.

import { Writable } from "node:stream";
import { DelayWindow } from "./delay-window.js";
import { type HeapPacket, PacketHeap } from "./packet-heap.js";
import { PcapStreamError } from "./pcap-records.js";
import { PcapStreamParser } from "./pcap-stream-parser.js";
import { encodeEnhancedPacket } from "./pcapng-blocks.js";
import { type MergeStats, PcapngWriter } from "./pcapng-writer.js";

export type { MergeStats } from "./pcapng-writer.js";

export interface MergeSourceInfo {
  /** The interface name Wireshark shows, like `demo/web-abc/eth0`. */
  name: string;
  /** Where it was captured, like the node and the container. */
  description: string;
}

export interface MergeOptions {
  /** How late a packet may arrive from one source relative to others and still be put in order (tcpdump -U hands packets over up to ~1 s late). Default 2000 ms. */
  maxDelayMs?: number;
  /** Cap on bytes held for ordering; past it the oldest packets are written early. Default 64 MiB. */
  maxBufferedBytes?: number;
  /** Injectable clock (ms) for tests. */
  now?: () => number;
}

/** Before any capture time: what a source that has shown no packet allows. */
const NOTHING = -1n;
/** After any capture time: what is allowed once no source is open. */
const EVERYTHING = 1n << 64n;

interface HeldPacket extends HeapPacket {
  block: Buffer;
}

class MergeSource {
  readonly parser = new PcapStreamParser();
  interfaceId = -1;
  /** The latest capture time this source has shown. */
  newest = NOTHING;
  constructor(
    readonly order: number,
    readonly info: MergeSourceInfo,
  ) {}
}

export class PcapngMerge {
  private readonly writer: PcapngWriter;
  private readonly window: DelayWindow;
  private readonly maxBufferedBytes: number;
  private readonly open = new Set<MergeSource>();
  private readonly heap = new PacketHeap<HeldPacket>();
  private held = 0;
  private added = 0;
  private taken = 0;
  private waitingForRoom: (() => void)[] = [];
  private pumping = false;
  private pumpAgain = false;
  private finishing = false;
  private settling = false;
  private finished?: Promise<MergeStats>;
  private settle?: { resolve: (stats: MergeStats) => void; reject: (error: Error) => void };
  private failure?: Error;

  constructor(output: Writable, options: MergeOptions = {}) {
    const onExpiry = () => this.schedulePump();
    this.window = new DelayWindow(options.maxDelayMs ?? 2000, options.now ?? Date.now, onExpiry);
    this.maxBufferedBytes = options.maxBufferedBytes ?? 64 * 1024 * 1024;
    this.writer = new PcapngWriter(output);
    this.schedulePump();
  }

  /** What has been handed to the output so far. */
  get progress(): { packets: number; bytes: number } {
    return this.writer.progress;
  }

  /** Bytes of packets held for ordering, not yet handed to the output. */
  get bufferedBytes(): number {
    return this.held;
  }

  /**
   * A new source, any time: a Writable for one raw pcap byte stream (global header then records,
   * in chunks of any size). Ending it says the source is done. A stream that is not pcap fails
   * that Writable with a PcapStreamError naming the source (so a pipeline into it rejects); the
   * other sources go on. A record cut short at the end is dropped.
   */
  addSource(info: MergeSourceInfo): Writable {
    if (this.finishing) throw new Error(`cannot add ${info.name}: the merge is finishing`);
    const source = new MergeSource(this.added++, info);
    this.open.add(source);
    return new Writable({
      write: (chunk: Buffer, _encoding, done) => this.take(source, chunk, done),
      final: (done) => {
        this.close(source);
        done();
      },
      destroy: (error, done) => {
        this.close(source);
        done(error);
      },
    });
  }

  /**
   * No more sources. Resolves once every source has ended and every packet is handed to the
   * output; the output is not ended: the caller owns it. Rejects if the output fails.
   */
  finish(): Promise<MergeStats> {
    this.finishing = true;
    this.finished ??= new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
      if (this.failure) reject(this.failure);
    });
    this.schedulePump();
    return this.finished;
  }

  private take(source: MergeSource, chunk: Buffer, done: (error?: Error | null) => void): void {
    const failure = this.failure ?? this.writer.failure;
    if (failure) {
      this.fail(failure);
      done(failure);
      return;
    }
    let parsed: ReturnType<PcapStreamParser["push"]>;
    try {
      parsed = source.parser.push(chunk);
    } catch (error) {
      done(new PcapStreamError(`${source.info.name}: ${(error as Error).message}`));
      return;
    }
    if (parsed.header) {
      const { linkType, snapLength } = parsed.header;
      source.interfaceId = this.writer.addInterface({ linkType, snapLength, ...source.info });
    }
    if (parsed.records.length > 0) {
      let upTo = NOTHING;
      for (const record of parsed.records) {
        const block = encodeEnhancedPacket(source.interfaceId, record);
        this.heap.push({ tsNanos: record.tsNanos, sourceOrder: source.order, arrival: this.taken++, block });
        this.held += block.length;
        if (record.tsNanos > upTo) upTo = record.tsNanos;
      }
      if (upTo > source.newest) source.newest = upTo;
      this.window.taken(upTo);
    }
    this.schedulePump();
    if (this.held > this.maxBufferedBytes) this.waitingForRoom.push(() => done(this.failure));
    else done();
  }

  private close(source: MergeSource): void {
    if (this.open.delete(source)) this.schedulePump();
  }

  private schedulePump(): void {
    if (this.pumping) this.pumpAgain = true;
    else void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        await this.writeReady();
        await this.writer.flush();
      } while (this.pumpAgain);
    } catch (error) {
      this.fail(error as Error);
    }
    this.pumping = false;
    if (this.failure) return;
    this.window.arm();
    await this.settleIfFinished();
  }

  /** Writes every packet the ordering rule lets go, waiting on the output as it needs. */
  private async writeReady(): Promise<void> {
    let limit = this.releaseLimit();
    for (let top = this.heap.peek(); top; top = this.heap.peek()) {
      if (top.tsNanos > limit && this.held <= this.maxBufferedBytes) break;
      this.heap.pop();
      this.held -= top.block.length;
      this.writer.addPacket(top.tsNanos, top.block);
      if (this.held <= this.maxBufferedBytes && this.waitingForRoom.length > 0) this.makeRoom();
      if (this.writer.batchFull) {
        await this.writer.flush();
        limit = this.releaseLimit();
      }
    }
    if (this.heap.size === 0) this.window.emptied();
  }

  /** The latest capture time that may go out now. */
  private releaseLimit(): bigint {
    let shownByAll = EVERYTHING;
    for (const source of this.open) if (source.newest < shownByAll) shownByAll = source.newest;
    let limit = shownByAll;
    // Bigints: Math.max does not take them.
    for (const other of [this.window.expiredUpTo(), this.writer.newestWritten])
      if (other > limit) limit = other;
    return limit;
  }

  private async settleIfFinished(): Promise<void> {
    if (!this.finishing || this.settling || this.open.size > 0 || this.heap.size > 0) return;
    this.settling = true;
    try {
      this.settle?.resolve(await this.writer.settle());
    } catch (error) {
      this.fail(error as Error);
    }
  }

  private makeRoom(): void {
    const waiting = this.waitingForRoom;
    this.waitingForRoom = [];
    for (const resume of waiting) resume();
  }

  /** The output failed: nothing more can be written, so every source fails with it. */
  private fail(error: Error): void {
    this.failure ??= error;
    this.window.stop();
    this.heap.clear();
    this.held = 0;
    this.makeRoom();
    this.settle?.reject(this.failure);
  }
}
