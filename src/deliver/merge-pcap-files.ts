// Merges finished pcap files (rotated capture files, one capture per pod) into one pcapng in
// exact capture-time order. Unlike a live merge nothing can arrive late, so no delay window is
// needed: a heap of the files' next records picks the earliest, which is copied straight from
// its file's read buffer into the output's batch. Memory is one read chunk per file and a few
// write batches, whatever the files' sizes; CPU is a heap step and a copy a packet, no object,
// promise or BigInt, which is what makes it as fast as mergecap (bench/merge.bench.ts).

import type { Writable } from "node:stream";
import { PcapFileReader } from "./pcap-file-reader.js";
import { type MergeStats, PcapngWriter } from "./pcapng-writer.js";
import { SourceTimeHeap } from "./source-time-heap.js";

export interface PcapFileInput {
  path: string;
  /** The interface name Wireshark shows for this file's packets. */
  name: string;
  description?: string;
}

/** One read brings some hundreds of packets; one such buffer is held per file. */
const READ_CHUNK = 256 * 1024;
/** Output writes of 1 MiB: each is a trip through the thread pool, so few and large. */
const WRITE_BATCH = 1024 * 1024;

/** Merges `inputs` into `output` (not ended: the caller owns it), one interface per file. */
export async function mergePcapFiles(inputs: PcapFileInput[], output: Writable): Promise<MergeStats> {
  const writer = new PcapngWriter(output, WRITE_BATCH);
  // Opened one after the other, so that a file that fails leaves none open unread.
  const readers: PcapFileReader[] = [];
  try {
    for (const { path, name, description } of inputs) {
      const { reader, header } = await PcapFileReader.open(path, READ_CHUNK);
      readers.push(reader);
      writer.addInterface({ linkType: header.linkType, snapLength: header.snapLength, name, description });
    }
    // A file's id is its interface's and its place in the list: a tie goes to the later file.
    const heap = new SourceTimeHeap(readers.length);
    for (const [id, reader] of readers.entries())
      if (reader.nextRecord()) heap.push(id, reader.tsHigh, reader.tsLow);
    while (heap.size > 0) {
      const id = heap.top;
      const reader = readers[id] as PcapFileReader;
      const { tsHigh, tsLow, originalLength, buffer, dataStart, capturedLength } = reader;
      writer.writePacket(id, tsHigh, tsLow, originalLength, buffer, dataStart, capturedLength);
      if (writer.batchFull) await writer.flush();
      if (reader.nextRecord()) heap.replaceTop(reader.tsHigh, reader.tsLow);
      else heap.pop();
    }
    return await writer.settle();
  } finally {
    await Promise.all(readers.map((reader) => reader.close()));
  }
}
