// Cuts a pcap byte stream at record boundaries. Whatever stops a capture (Ctrl-C, a cut
// connection, a size limit), what has been handed on is a whole pcap: the global header, then
// complete records only. It also counts packets and bytes for the summary.

import { Transform, type TransformCallback } from "node:stream";

export const GLOBAL_HEADER = 24;
export const RECORD_HEADER = 16;

export interface PcapFormat {
  littleEndian: boolean;
  /** Nanosecond timestamps (tcpdump --time-stamp-precision=nano) rather than microseconds. */
  nanos: boolean;
}
const MAGICS = new Map<number, PcapFormat>([
  [0xa1b2c3d4, { littleEndian: false, nanos: false }],
  [0xd4c3b2a1, { littleEndian: true, nanos: false }],
  [0xa1b23c4d, { littleEndian: false, nanos: true }],
  [0x4d3cb2a1, { littleEndian: true, nanos: true }],
]);
/** tcpdump's largest snaplen; a record claiming more means the stream is not pcap. */
export const MAX_RECORD = 262_144 + 65_536;

/** The format a pcap's first four bytes (read big-endian) announce; undefined if not pcap. */
export const pcapFormatOf = (magic: number): PcapFormat | undefined => MAGICS.get(magic);

export interface PcapProgress {
  packets: number;
  /** Bytes handed on, headers included: the size of the file being written. */
  bytes: number;
  /** Capture time of the last packet, seconds since the epoch. */
  lastPacketAt?: number;
}

export class PcapStreamError extends Error {}

/**
 * The bytes of a record still arriving are held as the pieces they came in, not joined: a
 * record is handed on as those pieces once its last byte is there, and whole records inside a
 * chunk as one slice of it. Only a header split across chunks is copied (16 or 24 bytes), so
 * the stream is never copied as it passes, and makes no garbage for the GC to catch up with.
 */
export class PcapRecordCutter extends Transform {
  readonly progress: PcapProgress = { packets: 0, bytes: 0 };
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** The length of what is being held once its header is known: global header, or a record. */
  private heldNeeds?: number;
  private littleEndian?: boolean;
  private full = false;

  /** @param maxBytes stop handing on records once the output would pass this size. */
  constructor(private readonly maxBytes = Number.POSITIVE_INFINITY) {
    super();
  }

  /** True once --max-size is reached: the caller stops the capture. */
  get limitReached(): boolean {
    return this.full;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      if (!this.full) this.cut(chunk);
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  /** Dropping a trailing partial record is the point: the file stays readable to the end. */
  override _flush(done: TransformCallback): void {
    this.held = [];
    this.heldBytes = 0;
    done();
  }

  private cut(chunk: Buffer): void {
    let offset = 0;
    if (this.heldBytes > 0) {
      offset = this.finishHeld(chunk);
      if (offset < 0 || this.full) return;
    }
    const start = offset;
    while (!this.full && chunk.length - offset >= this.headerSize()) {
      const needs = this.lengthAt(chunk, offset);
      if (chunk.length - offset < needs) break;
      if (!this.count(chunk, offset, needs)) break;
      offset += needs;
    }
    if (offset > start) this.push(chunk.subarray(start, offset));
    if (!this.full && offset < chunk.length) this.hold(chunk.subarray(offset));
  }

  /** Completes the held record from the chunk's first bytes; how many it took, -1 if all. */
  private finishHeld(chunk: Buffer): number {
    if (this.heldNeeds === undefined) {
      if (this.heldBytes + chunk.length < this.headerSize()) {
        this.hold(chunk);
        return -1;
      }
      this.heldNeeds = this.lengthAt(Buffer.concat([...this.held, chunk], this.headerSize()), 0);
    }
    const missing = this.heldNeeds - this.heldBytes;
    if (chunk.length < missing) {
      this.hold(chunk);
      return -1;
    }
    const pieces = [...this.held, chunk.subarray(0, missing)];
    const header = Buffer.concat(pieces, this.headerSize());
    this.held = [];
    this.heldBytes = 0;
    const needs = this.heldNeeds;
    this.heldNeeds = undefined;
    if (this.count(header, 0, needs)) for (const piece of pieces) this.push(piece);
    return missing;
  }

  private hold(piece: Buffer): void {
    this.held.push(piece);
    this.heldBytes += piece.length;
    if (this.heldNeeds === undefined && this.heldBytes >= this.headerSize())
      this.heldNeeds = this.lengthAt(Buffer.concat(this.held, this.headerSize()), 0);
  }

  /** The global header until it has passed, then a record header. */
  private headerSize(): number {
    return this.littleEndian === undefined ? GLOBAL_HEADER : RECORD_HEADER;
  }

  /** The whole length (header included) of what starts at `at`; throws on a stream that is not pcap. */
  private lengthAt(bytes: Buffer, at: number): number {
    if (this.littleEndian === undefined) {
      if (!pcapFormatOf(bytes.readUInt32BE(at)))
        throw new PcapStreamError("the node did not send pcap data (bad magic number)");
      return GLOBAL_HEADER;
    }
    const length = this.readU32(bytes, at + 8);
    if (length > MAX_RECORD)
      throw new PcapStreamError(`a pcap record claims ${length} bytes: the stream is corrupt`);
    return RECORD_HEADER + length;
  }

  /** Counts what starts at `at` (header readable there) if it fits under the limit. */
  private count(bytes: Buffer, at: number, length: number): boolean {
    if (this.littleEndian === undefined) {
      this.littleEndian = pcapFormatOf(bytes.readUInt32BE(at))?.littleEndian ?? false;
      this.progress.bytes += GLOBAL_HEADER;
      return true;
    }
    if (this.progress.bytes + length > this.maxBytes) {
      this.full = true;
      this.held = [];
      this.heldBytes = 0;
      return false;
    }
    this.progress.packets += 1;
    this.progress.bytes += length;
    this.progress.lastPacketAt = this.readU32(bytes, at);
    return true;
  }

  private readU32(bytes: Buffer, at: number): number {
    return this.littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at);
  }
}
