// Writes one pcapng section to a stream the caller owns (and ends): the Section Header Block
// first and at once, so the output is a valid pcapng even if no packet ever comes, then
// interfaces and packets in the order they are given. Blocks are laid one after the other into a
// batch buffer and handed on in writes of about a batch (64 KiB unless told), because one write
// per packet costs more than the packet; a packet can be encoded straight into the batch, so a
// merge of files allocates nothing a packet. Into a file, a batch buffer is used again once the
// file has it: fresh ones are garbage the GC frees late (RSS grew to 170 MB merging files) and
// new pages the kernel must fault in. Any other output may keep what it was given (a PassThrough
// hands the very buffer on), so it gets a fresh one each batch. The output's backpressure is
// passed on: a flush waits for 'drain' while the output is full, so few buffers are in flight.

import { WriteStream } from "node:fs";
import type { Writable } from "node:stream";
import {
  encodeInterfaceDescription,
  encodeSectionHeader,
  enhancedPacketLength,
  type InterfaceDescription,
  writeEnhancedPacket,
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
  /** The newest packet's timestamp words (high, low); high -1 before the first. */
  private newestHigh = -1;
  private newestLow = 0;
  /** Blocks go into `batch` up to `filled`; a batch is full at batchBytes, holds twice that. */
  private batch: Buffer;
  private filled = 0;
  /** Batch buffers the output is done with, ready for the next batch. */
  private readonly spares: Buffer[] = [];
  /** A file stream calls back once the bytes are in the file: then its buffers are free again. */
  private readonly reusesBuffers: boolean;
  private batchPackets = 0;
  private lastWrite: Promise<void> = Promise.resolve();
  /** Set while the output is past its highWaterMark: resolves on 'drain'. */
  private outputFull?: Promise<void>;
  private failed?: Error;

  constructor(
    private readonly output: Writable,
    private readonly batchBytes = BATCH_BYTES,
  ) {
    this.batch = Buffer.allocUnsafe(2 * batchBytes);
    this.reusesBuffers = output instanceof WriteStream;
    this.append(encodeSectionHeader("podcap"));
  }

  /** Why the output took no more, once it has failed. */
  get failure(): Error | undefined {
    return this.failed;
  }

  /** Timestamp of the newest packet written so far; -1n before the first. */
  get newestWritten(): bigint {
    return this.newestHigh < 0 ? -1n : (BigInt(this.newestHigh) << 32n) | BigInt(this.newestLow);
  }

  /** True when the batch is worth a write; the caller then awaits flush(). */
  get batchFull(): boolean {
    return this.filled >= this.batchBytes;
  }

  /** Adds an Interface Description Block; returns the interface id its packets use. */
  addInterface(iface: InterfaceDescription): number {
    this.append(encodeInterfaceDescription(iface));
    this.interfaces += 1;
    return this.interfaces - 1;
  }

  /** Adds an Enhanced Packet Block already encoded for one of the interfaces added. */
  addPacket(tsNanos: bigint, block: Buffer): void {
    this.noteTime(Number(tsNanos >> 32n), Number(tsNanos & 0xffff_ffffn));
    this.append(block);
  }

  /**
   * Encodes an Enhanced Packet Block straight into the batch, the packet copied from
   * `source[start, start + captured)`; the timestamp as its two words (timestampHigh, timestampLow).
   */
  writePacket(
    interfaceId: number,
    tsHigh: number,
    tsLow: number,
    originalLength: number,
    source: Uint8Array,
    start: number,
    captured: number,
  ): void {
    this.noteTime(tsHigh, tsLow);
    this.makeRoom(enhancedPacketLength(captured));
    this.filled = writeEnhancedPacket(
      this.batch,
      this.filled,
      interfaceId,
      tsHigh,
      tsLow,
      originalLength,
      source,
      start,
      captured,
    );
  }

  /**
   * Hands the batch to the output. When the output is full, the wait for 'drain' comes before
   * the next write rather than after this one, so that the next batch is made while this one is
   * written: the output holds at most its highWaterMark and one batch.
   */
  async flush(): Promise<void> {
    await this.outputFull;
    if (this.failed) throw this.failed;
    if (this.filled === 0) return;
    if (this.output.destroyed) throw new Error(OUTPUT_CLOSED);
    const written = this.batch;
    const chunk = written.subarray(0, this.filled);
    this.progress.packets += this.batchPackets;
    this.progress.bytes += chunk.length;
    this.batch = this.nextBatch(written.subarray(this.filled));
    this.filled = 0;
    this.batchPackets = 0;
    let accepted = false;
    this.lastWrite = new Promise((resolve) => {
      accepted = this.output.write(chunk, (error) => {
        if (error) this.failed ??= error;
        // One made larger for a block bigger than a batch is left to the GC.
        else if (this.reusesBuffers && written.length === 2 * this.batchBytes) this.spares.push(written);
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

  private noteTime(tsHigh: number, tsLow: number): void {
    if (tsHigh < this.newestHigh || (tsHigh === this.newestHigh && tsLow < this.newestLow))
      this.outOfOrder += 1;
    else {
      this.newestHigh = tsHigh;
      this.newestLow = tsLow;
    }
    this.batchPackets += 1;
  }

  private append(block: Buffer): void {
    this.makeRoom(block.length);
    this.batch.set(block, this.filled);
    this.filled += block.length;
  }

  /**
   * Where the next batch goes: a buffer a file has written, or else the rest of this one while
   * it holds a batch (small live batches then share a buffer, never touching what was handed on).
   */
  private nextBatch(rest: Buffer): Buffer {
    if (this.reusesBuffers) return this.spares.pop() ?? Buffer.allocUnsafe(2 * this.batchBytes);
    return rest.length >= this.batchBytes ? rest : Buffer.allocUnsafe(2 * this.batchBytes);
  }

  /**
   * Makes `bytes` free after the batch. Only a block larger than a batch can need it (the
   * caller flushes a full batch), so the larger buffer it moves to is rare.
   */
  private makeRoom(bytes: number): void {
    if (this.batch.length - this.filled >= bytes) return;
    const larger = Buffer.allocUnsafe(this.filled + bytes);
    this.batch.copy(larger, 0, 0, this.filled);
    this.batch = larger;
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
