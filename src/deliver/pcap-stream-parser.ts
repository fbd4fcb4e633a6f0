// Parses a raw pcap byte stream that arrives in chunks of any size (an SSH channel, a file read
// stream) into its global header and its records, with timestamps turned into nanoseconds so
// that microsecond and nanosecond captures compare directly. Bytes of an unfinished record wait
// as a list of chunks and are joined once the record is complete, so one-byte chunks stay cheap.

import { GLOBAL_HEADER, MAX_RECORD, PcapStreamError, pcapFormatOf, RECORD_HEADER } from "./pcap-records.js";

const PCAPNG_SECTION_HEADER = 0x0a0d0d0a;
const NANOS_PER_SECOND = 1_000_000_000n;

export interface PcapHeader {
  /** LINKTYPE_ value (the low 16 bits of the header's link-layer field). */
  linkType: number;
  snapLength: number;
  nanos: boolean;
  littleEndian: boolean;
}

export interface PcapRecord {
  /** Nanoseconds since the epoch. */
  tsNanos: bigint;
  capturedLength: number;
  originalLength: number;
  /** A view into the chunk it came in: copy it to keep it past that chunk's life. */
  data: Buffer;
}

export interface PcapParsed {
  /** Set on the one call that completed the global header. */
  header?: PcapHeader;
  records: PcapRecord[];
}

export class PcapStreamParser {
  private header?: PcapHeader;
  private parts: Buffer[] = [];
  private held = 0;
  /** Bytes the next header or record needs before parsing is worth a join. */
  private needed = GLOBAL_HEADER;

  /** Bytes of a header or record not yet complete: a stream that ends here was cut short. */
  get partialBytes(): number {
    return this.held;
  }

  /** Parses what `chunk` completes. Throws PcapStreamError on anything that is not pcap. */
  push(chunk: Buffer): PcapParsed {
    this.parts.push(chunk);
    this.held += chunk.length;
    const parsed: PcapParsed = { records: [] };
    if (this.held < this.needed) return parsed;
    const bytes = this.parts.length === 1 ? chunk : Buffer.concat(this.parts, this.held);
    let offset = 0;
    if (!this.header) {
      this.header = readGlobalHeader(bytes);
      parsed.header = this.header;
      offset = GLOBAL_HEADER;
    }
    const read32 = this.header.littleEndian
      ? (at: number) => bytes.readUInt32LE(at)
      : (at: number) => bytes.readUInt32BE(at);
    const fractionUnit = this.header.nanos ? 1 : 1000;
    this.needed = RECORD_HEADER;
    while (bytes.length - offset >= RECORD_HEADER) {
      const capturedLength = read32(offset + 8);
      if (capturedLength > MAX_RECORD)
        throw new PcapStreamError(`a pcap record claims ${capturedLength} bytes: the stream is corrupt`);
      const end = offset + RECORD_HEADER + capturedLength;
      if (bytes.length < end) {
        this.needed = end - offset;
        break;
      }
      parsed.records.push({
        tsNanos: BigInt(read32(offset)) * NANOS_PER_SECOND + BigInt(read32(offset + 4) * fractionUnit),
        capturedLength,
        originalLength: read32(offset + 12),
        data: bytes.subarray(offset + RECORD_HEADER, end),
      });
      offset = end;
    }
    this.parts = offset < bytes.length ? [bytes.subarray(offset)] : [];
    this.held = bytes.length - offset;
    return parsed;
  }
}

/** The global header at the start of `bytes` (24 of them at least). */
export function readGlobalHeader(bytes: Buffer): PcapHeader {
  const magic = bytes.readUInt32BE(0);
  const format = pcapFormatOf(magic);
  if (!format) {
    const what = magic === PCAPNG_SECTION_HEADER ? "pcapng, not pcap" : "not pcap data (bad magic number)";
    throw new PcapStreamError(`the stream is ${what}`);
  }
  const read32 = (at: number) => (format.littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  return { linkType: read32(20) & 0xffff, snapLength: read32(16), ...format };
}
