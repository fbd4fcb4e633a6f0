// Deterministic synthetic pcap files, so a benchmark makes its own input with no capture and no
// network: each file's packets come at random gaps (ties included, within a file and across
// files) with sizes mixed like real traffic (ACK-sized, medium, full frames). Every packet's
// Ethernet source address is its file and sequence number, so a merged capture shows exactly
// which packet went where: two merges agree on order only if the same packet is at each place.

const LINKTYPE_ETHERNET = 1;
const SNAP_LENGTH = 262_144;
const START_SECONDS = 1_700_000_000;
const ETHERTYPE_LOCAL_EXPERIMENT = 0x88b5;
const ETHERNET_HEADER = 14;

export interface SyntheticPcapSpec {
  /** Which file of the set this is: in every packet's source address. */
  fileIndex: number;
  packets: number;
  seed: number;
  /** Nanosecond timestamps (tcpdump --time-stamp-precision=nano) rather than microseconds. */
  nanos?: boolean;
  /** Largest gap between two packets of this file, microseconds; 0 is a tie. */
  maxGapMicros?: number;
}

/** mulberry32: a tiny seeded generator, the same numbers on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Half the packets are ACK-sized, a third medium, the rest full Ethernet frames. */
function packetLength(random: () => number): number {
  const kind = random();
  if (kind < 0.5) return 54 + Math.floor(random() * 40);
  if (kind < 0.8) return 100 + Math.floor(random() * 500);
  return 1514;
}

function globalHeader(nanos: boolean): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(nanos ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(SNAP_LENGTH, 16);
  header.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  return header;
}

/** The file in chunks of about `chunkBytes`, so a large one is never whole in memory. */
export function* syntheticPcap(spec: SyntheticPcapSpec, chunkBytes = 4 * 1024 * 1024): Generator<Buffer> {
  const { fileIndex, packets, nanos = false, maxGapMicros = 200 } = spec;
  const random = seededRandom(spec.seed);
  yield globalHeader(nanos);
  let chunk = Buffer.alloc(chunkBytes + 16 + 1514);
  let used = 0;
  let micros = 0;
  let subMicro = 0;
  for (let sequence = 0; sequence < packets; sequence += 1) {
    const gap = Math.floor(random() * (maxGapMicros + 1));
    micros += gap;
    const seconds = START_SECONDS + Math.floor(micros / 1e6);
    const fraction = micros % 1e6;
    // Half a nanosecond file's packets fall on a whole microsecond, so they still tie with
    // others; a packet in the same microsecond as the one before ties with it exactly.
    if (gap > 0) subMicro = nanos && random() < 0.5 ? Math.floor(random() * 1000) : 0;
    const length = packetLength(random);
    chunk.writeUInt32LE(seconds, used);
    chunk.writeUInt32LE(nanos ? fraction * 1000 + subMicro : fraction, used + 4);
    chunk.writeUInt32LE(length, used + 8);
    chunk.writeUInt32LE(length, used + 12);
    const frame = used + 16;
    chunk.fill(0, frame, frame + 6);
    chunk.writeUInt8(2, frame + 5);
    chunk.writeUInt8(2, frame + 6);
    chunk.writeUInt8(fileIndex & 0xff, frame + 7);
    chunk.writeUInt32BE(sequence, frame + 8);
    chunk.writeUInt16BE(ETHERTYPE_LOCAL_EXPERIMENT, frame + 12);
    chunk.fill(sequence & 0xff, frame + ETHERNET_HEADER, frame + length);
    used = frame + length;
    if (used >= chunkBytes) {
      yield chunk.subarray(0, used);
      chunk = Buffer.alloc(chunk.length);
      used = 0;
    }
  }
  if (used > 0) yield chunk.subarray(0, used);
}
