// The three pcapng blocks a merged capture needs, encoded little-endian: one Section Header,
// one Interface Description per pod interface, one Enhanced Packet per packet. Every interface
// says nanosecond resolution, so microsecond and nanosecond sources keep their exact times.

const SECTION_HEADER = 0x0a0d0d0a;
const INTERFACE_DESCRIPTION = 0x00000001;
const ENHANCED_PACKET = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Block type, block total length ... block total length again. */
const BLOCK_FRAME = 12;
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

/** Written once per packet, so it fills one buffer in place rather than going through encodeBlock. */
export function encodeEnhancedPacket(interfaceId: number, packet: TimedPacket): Buffer {
  const captured = packet.data.length;
  const total = BLOCK_FRAME + ENHANCED_PACKET_FIXED + padded(captured);
  const out = Buffer.allocUnsafe(total);
  out.writeUInt32LE(ENHANCED_PACKET, 0);
  out.writeUInt32LE(total, 4);
  out.writeUInt32LE(interfaceId, 8);
  out.writeUInt32LE(Number(packet.tsNanos >> 32n), 12);
  out.writeUInt32LE(Number(packet.tsNanos & 0xffff_ffffn), 16);
  out.writeUInt32LE(captured, 20);
  out.writeUInt32LE(packet.originalLength, 24);
  packet.data.copy(out, 28);
  out.fill(0, 28 + captured, total - 4);
  out.writeUInt32LE(total, total - 4);
  return out;
}
