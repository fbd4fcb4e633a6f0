// Writes one pcapng section to a stream the caller owns (and ends): the Section Header Block
// first and at once, so the output is a valid pcapng even if no packet ever comes, then
// interfaces and packets in the order they are given. Blocks are batched into writes of about
// 64 KiB, because one write per packet costs more than the packet, and the output's
// backpressure is passed on: a flush waits for 'drain' while the output is full.

import type { Writable } from "node:stream";
import {
  encodeInterfaceDescription,
  encodeSectionHeader,
  type InterfaceDescription,
} from "./pcapng-blocks.js";

const BATCH_BYTES = 64 * 1024;
const OUTPUT_CLOSED = "the pcapng output was closed before the merge finished";

export interface MergeStats {
  /** Packets handed to the output. */
  packets: number;
  /** Bytes handed to the output, every block included: the size of the file. */
  bytes: number;
  /** Interfaces written: the sources that sent at least a pcap header. */
  sources: number;
  /** Packets written after a later one, because they came too late to be put in order. */
  outOfOrder: number;
}

export class PcapngWriter {
  readonly progress = { packets: 0, bytes: 0 };
  private interfaces = 0;
  private outOfOrder = 0;
  private newest = -1n;
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private batchPackets = 0;
  private lastWrite: Promise<void> = Promise.resolve();
  /** Set while the output is past its highWaterMark: resolves on 'drain'. */
  private outputFull?: Promise<void>;
  private failed?: Error;

  constructor(private readonly output: Writable) {
    this.append(encodeSectionHeader("podcap"));
  }

  /** Why the output took no more, once it has failed. */
  get failure(): Error | undefined {
    return this.failed;
  }

  /** Timestamp of the newest packet written so far; -1n before the first. */
  get newestWritten(): bigint {
    return this.newest;
  }

  /** True when the batch is worth a write; the caller then awaits flush(). */
  get batchFull(): boolean {
    return this.batchBytes >= BATCH_BYTES;
  }

  /** Adds an Interface Description Block; returns the interface id its packets use. */
  addInterface(iface: InterfaceDescription): number {
    this.append(encodeInterfaceDescription(iface));
    this.interfaces += 1;
    return this.interfaces - 1;
  }

  /** Adds an Enhanced Packet Block already encoded for one of the interfaces added. */
  addPacket(tsNanos: bigint, block: Buffer): void {
    if (tsNanos < this.newest) this.outOfOrder += 1;
    else this.newest = tsNanos;
    this.batchPackets += 1;
    this.append(block);
  }

  /**
   * Hands the batch to the output. When the output is full, the wait for 'drain' comes before
   * the next write rather than after this one, so that the next batch is made while this one is
   * written: the output holds at most its highWaterMark and one batch.
   */
  async flush(): Promise<void> {
    await this.outputFull;
    if (this.failed) throw this.failed;
    if (this.batchBytes === 0) return;
    if (this.output.destroyed) throw new Error(OUTPUT_CLOSED);
    const chunk = this.batch.length === 1 ? (this.batch[0] as Buffer) : Buffer.concat(this.batch);
    this.progress.packets += this.batchPackets;
    this.progress.bytes += chunk.length;
    this.batch = [];
    this.batchBytes = 0;
    this.batchPackets = 0;
    let accepted = false;
    this.lastWrite = new Promise((resolve) => {
      accepted = this.output.write(chunk, (error) => {
        if (error) this.failed ??= error;
        resolve();
      });
    });
    this.outputFull = accepted
      ? undefined
      : drained(this.output).catch((error: Error) => {
          this.failed ??= error;
        });
  }

  /** Flushes; resolves once the output has taken every byte, with what was written. */
  async settle(): Promise<MergeStats> {
    await this.flush();
    await this.lastWrite;
    if (this.failed) throw this.failed;
    return { ...this.progress, sources: this.interfaces, outOfOrder: this.outOfOrder };
  }

  private append(block: Buffer): void {
    this.batch.push(block);
    this.batchBytes += block.length;
  }
}

/** 'drain', or the reason it will never come. */
function drained(output: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      output.off("drain", onDrain).off("error", onError).off("close", onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onError = (error: Error) => settle(error);
    const onClose = () => settle(new Error(OUTPUT_CLOSED));
    output.on("drain", onDrain).on("error", onError).on("close", onClose);
  });
}
