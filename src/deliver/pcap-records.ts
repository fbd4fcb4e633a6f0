// Cuts a pcap byte stream at record boundaries. Whatever stops a capture (Ctrl-C, a cut
// connection, a size limit), what has been handed on is a whole pcap: the global header, then
// complete records only. It also counts packets and bytes for the summary, with no copy of the
// payload beyond the one partial record it holds back.

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

export class PcapRecordCutter extends Transform {
  readonly progress: PcapProgress = { packets: 0, bytes: 0 };
  private pending: Buffer = Buffer.alloc(0);
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
    if (this.full) {
      done();
      return;
    }
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    try {
      const whole = this.takeWhole();
      if (whole > 0) {
        this.push(this.pending.subarray(0, whole));
        this.pending = this.pending.subarray(whole);
      }
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  /** Dropping a trailing partial record is the point: the file stays readable to the end. */
  override _flush(done: TransformCallback): void {
    this.pending = Buffer.alloc(0);
    done();
  }

  /** How many leading bytes of `pending` are whole (header and complete records) and fit. */
  private takeWhole(): number {
    let offset = 0;
    if (this.littleEndian === undefined) {
      if (this.pending.length < GLOBAL_HEADER) return 0;
      const format = pcapFormatOf(this.pending.readUInt32BE(0));
      if (!format) throw new PcapStreamError("the node did not send pcap data (bad magic number)");
      this.littleEndian = format.littleEndian;
      offset = GLOBAL_HEADER;
      this.progress.bytes += GLOBAL_HEADER;
    }
    while (!this.full && this.pending.length - offset >= RECORD_HEADER) {
      const length = this.readU32(offset + 8);
      if (length > MAX_RECORD)
        throw new PcapStreamError(`a pcap record claims ${length} bytes: the stream is corrupt`);
      const end = offset + RECORD_HEADER + length;
      if (this.pending.length < end) break;
      if (this.progress.bytes + RECORD_HEADER + length > this.maxBytes) {
        this.full = true;
        break;
      }
      this.progress.packets += 1;
      this.progress.bytes += RECORD_HEADER + length;
      this.progress.lastPacketAt = this.readU32(offset);
      offset = end;
    }
    return offset;
  }

  private readU32(at: number): number {
    return this.littleEndian ? this.pending.readUInt32LE(at) : this.pending.readUInt32BE(at);
  }
}
