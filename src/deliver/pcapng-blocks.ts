// The three pcapng blocks a merged capture needs, encoded little-endian: one Section Header,
// one Interface Description per pod interface, one Enhanced Packet per packet. Every interface
// says nanosecond resolution, so microsecond and nanosecond sources keep their exact times.

const SECTION_HEADER = 0x0a0d0d0a;
const INTERFACE_DESCRIPTION = 0x00000001;
const ENHANCED_PACKET = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Block type, block total length ... block total length again. */
const BLOCK_FRAME = 12;
/** Block type, block total length: where a block's fields start. */
const BLOCK_HEADER = 8;
const ENHANCED_PACKET_FIXED = 20;

const OPT_ENDOFOPT = 0;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
/** if_tsresol 9: 10^-9 s, so a timestamp is nanoseconds since the epoch. */
const NANOSECONDS = Buffer.from([9]);

const padded = (length: number): number => (length + 3) & ~3;

interface BlockOption {
  code: number;
  value: Buffer;
}

/** Options padded to 32 bits each, closed by opt_endofopt; nothing at all when there are none. */
function encodeOptions(options: BlockOption[]): Buffer {
  if (options.length === 0) return Buffer.alloc(0);
  const size = options.reduce((total, { value }) => total + 4 + padded(value.length), 4);
  const out = Buffer.alloc(size);
  let at = 0;
  for (const { code, value } of options) {
    out.writeUInt16LE(code, at);
    out.writeUInt16LE(value.length, at + 2);
    value.copy(out, at + 4);
    at += 4 + padded(value.length);
  }
  out.writeUInt16LE(OPT_ENDOFOPT, at);
  return out;
}

/** `body` (fields then options, already a multiple of 4 bytes) framed as a block of `type`. */
function encodeBlock(type: number, body: Buffer): Buffer {
  const total = BLOCK_FRAME + body.length;
  const out = Buffer.alloc(total);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(total, 4);
  body.copy(out, 8);
  out.writeUInt32LE(total, total - 4);
  return out;
}

const textOption = (code: number, text: string | undefined): BlockOption[] =>
  text ? [{ code, value: Buffer.from(text, "utf8") }] : [];

/** Opens the section; its length is left unknown (-1), as for any stream. */
export function encodeSectionHeader(application?: string): Buffer {
  const fields = Buffer.alloc(16);
  fields.writeUInt32LE(BYTE_ORDER_MAGIC, 0);
  fields.writeUInt16LE(1, 4);
  fields.writeUInt16LE(0, 6);
  fields.writeBigInt64LE(-1n, 8);
  return encodeBlock(
    SECTION_HEADER,
    Buffer.concat([fields, encodeOptions(textOption(SHB_USERAPPL, application))]),
  );
}

export interface InterfaceDescription {
  /** LINKTYPE_ value, as in the pcap global header. */
  linkType: number;
  snapLength: number;
  /** if_name, what Wireshark shows as the interface: `namespace/pod/eth0`. */
  name: string;
  /** if_description: where the interface is (node, container). */
  description?: string;
}

export function encodeInterfaceDescription(iface: InterfaceDescription): Buffer {
  const fields = Buffer.alloc(8);
  fields.writeUInt16LE(iface.linkType, 0);
  fields.writeUInt32LE(iface.snapLength, 4);
  const options = encodeOptions([
    ...textOption(IF_NAME, iface.name),
    ...textOption(IF_DESCRIPTION, iface.description),
    { code: IF_TSRESOL, value: NANOSECONDS },
  ]);
  return encodeBlock(INTERFACE_DESCRIPTION, Buffer.concat([fields, options]));
}

export interface TimedPacket {
  /** Nanoseconds since the epoch. */
  tsNanos: bigint;
  originalLength: number;
  /** The captured bytes; their length is the captured length. */
  data: Buffer;
}

const TWO_TO_16 = 0x1_0000;
const TWO_TO_32 = 0x1_0000_0000;

/*
 * The two 32-bit words of `seconds * 10^9 + nanos`, as an Enhanced Packet Block stores its
 * timestamp, exact with no BigInt: the product reaches 2^62, past a double's 2^53, so seconds is
 * split in 16-bit halves whose products stay exact. Two functions rather than one returning a
 * pair, so that a merge computes them a packet without an allocation a packet.
 */
const upperProduct = (seconds: number): number => Math.floor(seconds / TWO_TO_16) * 1e9;
/** What is left below the high word's 2^32 unit, with its carry into it: below 2^47, so exact. */
const carried = (seconds: number, nanos: number): number =>
  (upperProduct(seconds) % TWO_TO_16) * TWO_TO_16 + (seconds % TWO_TO_16) * 1e9 + nanos;

export const timestampHigh = (seconds: number, nanos: number): number =>
  Math.floor(upperProduct(seconds) / TWO_TO_16) + Math.floor(carried(seconds, nanos) / TWO_TO_32);

export const timestampLow = (seconds: number, nanos: number): number => carried(seconds, nanos) % TWO_TO_32;

/** Bytes an Enhanced Packet Block of `captured` bytes takes. */
export const enhancedPacketLength = (captured: number): number =>
  BLOCK_FRAME + ENHANCED_PACKET_FIXED + padded(captured);

/**
 * Writes an Enhanced Packet Block at `at` in `target`, copying the packet from
 * `source[start, start + captured)`, and returns where the block ends. It allocates nothing, so
 * a merge can lay packets one after the other into a buffer it writes out in large pieces.
 * The timestamp comes as its two 32-bit words (timestampHigh, timestampLow), as the block stores it.
 * Positional arguments, because an options object a packet would be an allocation a packet.
 */
export function writeEnhancedPacket(
  target: Buffer,
  at: number,
  interfaceId: number,
  tsHigh: number,
  tsLow: number,
  originalLength: number,
  source: Uint8Array,
  start: number,
  captured: number,
): number {
  const total = enhancedPacketLength(captured);
  target.writeUInt32LE(ENHANCED_PACKET, at);
  target.writeUInt32LE(total, at + 4);
  target.writeUInt32LE(interfaceId, at + 8);
  target.writeUInt32LE(tsHigh, at + 12);
  target.writeUInt32LE(tsLow, at + 16);
  target.writeUInt32LE(captured, at + 20);
  target.writeUInt32LE(originalLength, at + 24);
  const data = at + BLOCK_HEADER + ENHANCED_PACKET_FIXED;
  target.set(source.subarray(start, start + captured), data);
  const end = at + total;
  // Zero to three bytes of padding: a call to fill() costs more than the loop.
  for (let pad = data + captured; pad < end - 4; pad += 1) target[pad] = 0;
  target.writeUInt32LE(total, end - 4);
  return end;
}

/** One Enhanced Packet Block in a buffer of its own, for a packet that must wait in a heap. */
export function encodeEnhancedPacket(interfaceId: number, packet: TimedPacket): Buffer {
  const captured = packet.data.length;
  const out = Buffer.allocUnsafe(enhancedPacketLength(captured));
  const high = Number(packet.tsNanos >> 32n);
  const low = Number(packet.tsNanos & 0xffff_ffffn);
  writeEnhancedPacket(out, 0, interfaceId, high, low, packet.originalLength, packet.data, 0, captured);
  return out;
}
