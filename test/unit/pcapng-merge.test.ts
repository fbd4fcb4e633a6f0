// PcapngMerge as a multi-pod capture uses it: pods' pcap streams in whatever chunks SSH hands
// over, merged into one pcapng that tshark reads to the end, one interface per pod, packets in
// time order; and what happens when a pod joins late, sends garbage, lags, or the output is slow.

import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { PcapStreamError } from "../../src/deliver/pcap-records.js";
import { type MergeSourceInfo, PcapngMerge } from "../../src/deliver/pcapng-merge.js";
import {
  chunked,
  type MergedPacket,
  mergedPackets,
  pcapFixture,
  recordBoundaries,
  retimed,
  toBigEndian,
  tsharkRead,
} from "./pcap-tools.js";

const usec = pcapFixture("lo-icmp-usec.pcap");
const nsec = pcapFixture("lo-icmp-nsec.pcap");
const BASE = 1_700_000_000_000_000_000n;
const MS = 1_000_000n;
const times = (count: number, at: (i: bigint) => bigint) =>
  Array.from({ length: count }, (_, i) => BASE + at(BigInt(i)));

interface Pod {
  info: MergeSourceInfo;
  pcap: Buffer;
  times: bigint[];
}

const pod = (name: string, pcap: (times: bigint[]) => Buffer, stamps: bigint[]): Pod => ({
  info: { name: `demo/${name}/eth0`, description: `node worker-1, container ${name}` },
  pcap: pcap(stamps),
  times: stamps,
});

/** Interleaved in time: db ties with web on every other packet; api has nanosecond times. */
const web = pod(
  "web-abc",
  (t) => retimed(usec, t),
  times(10, (i) => i * 10n * MS),
);
const api = pod(
  "api-def",
  (t) => retimed(nsec, t),
  times(10, (i) => i * 10n * MS + 3n * MS + i * 7n + 1n),
);
const db = pod(
  "db-ghi",
  // big-endian, and snapshot lengths that leave every padding of the packet data
  (t) => toBigEndian(retimed(usec, t, [41, 63, 1001, 3])),
  times(10, (i) => i * 10n * MS + (i % 2n) * 6n * MS),
);

/** What tshark must show for `pods` merged: by time, and on a tie the pod added later first. */
function expectedOrder(pods: Pod[]): { name: string; nanos: bigint }[] {
  return pods
    .flatMap((p, order) => p.times.map((nanos) => ({ name: p.info.name, nanos, order })))
    .sort((a, b) => (a.nanos === b.nanos ? b.order - a.order : a.nanos < b.nanos ? -1 : 1))
    .map(({ name, nanos }) => ({ name, nanos }));
}

const nameAndTime = (packets: MergedPacket[]) => packets.map(({ name, nanos }) => ({ name, nanos }));

function collector() {
  const chunks: Buffer[] = [];
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { output, bytes: () => Buffer.concat(chunks) };
}

const write = (source: Writable, bytes: Buffer) =>
  new Promise<void>((resolve, reject) => source.write(bytes, (error) => (error ? reject(error) : resolve())));
const end = (source: Writable) => new Promise<void>((resolve) => source.end(resolve));
const feed = (source: Writable, chunks: Iterable<Buffer>) => pipeline(Readable.from(chunks), source);
/** The first `count` records of a little-endian pcap, header included. */
const firstRecords = (pcap: Buffer, count: number) => pcap.subarray(0, recordBoundaries(pcap)[count]);
/** Lets the merge hand what it may to the output. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe("PcapngMerge", () => {
  it.each([
    [1, 1],
    [5, 64],
    [9, 3000],
    [13, 100_000],
  ])(
    "merges three pods in any chunking (seed %i, chunks up to %i bytes) in time order",
    async (seed, largest) => {
      const { output, bytes } = collector();
      const merge = new PcapngMerge(output);
      const pods = [web, api, db];
      await Promise.all(
        pods.map((p, k) => feed(merge.addSource(p.info), chunked(p.pcap, seed + k, largest))),
      );
      const stats = await merge.finish();

      const packets = mergedPackets(bytes());
      expect(nameAndTime(packets)).toEqual(expectedOrder(pods));
      expect(new Set(packets.map((p) => `${p.name}: ${p.description}`))).toEqual(
        new Set(pods.map((p) => `${p.info.name}: ${p.info.description}`)),
      );
      expect(packets.filter((p) => p.name === db.info.name).map((p) => p.capturedLength)).toEqual([
        41, 42, 106, 3, 41, 63, 1001, 3, 41, 63,
      ]);
      expect(stats).toEqual({ packets: 30, bytes: bytes().length, sources: 3, outOfOrder: 0 });
      expect(merge.progress).toEqual({ packets: 30, bytes: bytes().length });
    },
  );

  it("writes a pcapng tshark reads even when no pod ever sends a byte", async () => {
    const { output, bytes } = collector();
    const merge = new PcapngMerge(output);
    await end(merge.addSource(web.info));
    expect(await merge.finish()).toEqual({ packets: 0, bytes: bytes().length, sources: 0, outOfOrder: 0 });
    expect(bytes().subarray(0, 4).toString("hex")).toBe("0a0d0d0a");
    const read = tsharkRead(bytes());
    expect(read.status).toBe(0);
    expect(read.rows).toEqual([]);
  });

  it("takes a pod that joins while the others are being written", async () => {
    const { output, bytes } = collector();
    const merge = new PcapngMerge(output);
    const early = [web, api].map((p) => ({ p, source: merge.addSource(p.info) }));
    for (const { p, source } of early) await write(source, firstRecords(p.pcap, 5));
    await settled();
    const writtenBeforeJoin = merge.progress.packets;
    expect(writtenBeforeJoin).toBeGreaterThan(0);

    const late = pod(
      "late-jkl",
      (t) => retimed(nsec, t),
      times(6, (i) => 46n * MS + i * 9n * MS),
    );
    await feed(merge.addSource(late.info), [late.pcap]);
    for (const { p, source } of early) {
      await write(source, p.pcap.subarray(firstRecords(p.pcap, 5).length));
      await end(source);
    }
    const stats = await merge.finish();

    expect(nameAndTime(mergedPackets(bytes()))).toEqual(expectedOrder([web, api, late]));
    expect(stats).toMatchObject({ packets: 26, sources: 3, outOfOrder: 0 });
  });

  it.each([
    ["tcpdump's error message", Buffer.from("tcpdump: eth0: No such device exists\n(SIOCGIFHWADDR)\n"), 0],
    [
      "a corrupt record after a good start",
      Buffer.concat([firstRecords(usec, 2), Buffer.alloc(16, 0x7f)]),
      2,
    ],
  ])(
    "drops a pod that sends %s, with an error naming it, and merges the others",
    async (_what, garbage, kept) => {
      const { output, bytes } = collector();
      const merge = new PcapngMerge(output);
      const bad = merge.addSource({ name: "demo/bad-xyz/eth0", description: "node worker-2" });
      const good = [web, api].map((p) => feed(merge.addSource(p.info), chunked(p.pcap, 3, 500)));
      await expect(feed(bad, chunked(garbage, 4, 20))).rejects.toThrow(PcapStreamError);
      await expect(
        feed(merge.addSource({ name: "demo/bad-xyz/eth1", description: "" }), [garbage]),
      ).rejects.toThrow(/^demo\/bad-xyz\/eth1: .*(not pcap|corrupt)/);
      await Promise.all(good);
      const stats = await merge.finish();

      const packets = mergedPackets(bytes());
      const fromBad = packets.filter((p) => p.name.startsWith("demo/bad"));
      expect(nameAndTime(packets.filter((p) => !fromBad.includes(p)))).toEqual(expectedOrder([web, api]));
      // what came in whole before the corruption was valid, so it is kept
      expect(fromBad.map((p) => p.name)).toEqual(Array(kept).fill("demo/bad-xyz/eth0"));
      expect(stats.packets).toBe(20 + kept);
    },
  );

  it("writes a packet that arrives later than maxDelayMs out of order, and counts it", async () => {
    let clock = 0;
    const { output, bytes } = collector();
    const merge = new PcapngMerge(output, { maxDelayMs: 2000, now: () => clock });
    const prompt = merge.addSource(web.info);
    const lagging = merge.addSource(api.info);
    await write(prompt, firstRecords(web.pcap, 4));
    await write(lagging, firstRecords(api.pcap, 0));
    await settled();
    expect(merge.progress.packets).toBe(0); // api has shown no packet yet: web's wait

    clock += 2500;
    await write(
      prompt,
      web.pcap.subarray(firstRecords(web.pcap, 4).length, firstRecords(web.pcap, 5).length),
    );
    await settled();
    expect(merge.progress.packets).toBe(4); // waited long enough; the fifth arrived just now

    await write(lagging, api.pcap.subarray(24, firstRecords(api.pcap, 1).length)); // 3 ms: before 30 ms
    await Promise.all([end(prompt), end(lagging)]);
    const stats = await merge.finish();

    expect(stats).toMatchObject({ packets: 6, outOfOrder: 1 });
    expect(mergedPackets(bytes()).map((p) => p.nanos)).toEqual([
      ...web.times.slice(0, 4),
      api.times[0],
      web.times[4],
    ]);
  });

  it("does not let a quiet pod hold the others back longer than maxDelayMs", async () => {
    const { output } = collector();
    const merge = new PcapngMerge(output, { maxDelayMs: 30 });
    await write(merge.addSource(api.info), firstRecords(api.pcap, 0));
    await write(merge.addSource(web.info), web.pcap);
    await settled();
    expect(merge.progress.packets).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(merge.progress.packets).toBe(10);
  });

  it("writes the oldest packets early once maxBufferedBytes is reached", async () => {
    const maxBufferedBytes = 4000;
    const { output, bytes } = collector();
    const merge = new PcapngMerge(output, { maxBufferedBytes, now: () => 0 });
    const quiet = merge.addSource(api.info);
    await write(quiet, firstRecords(api.pcap, 0));
    const busy = merge.addSource(web.info);
    const boundaries = recordBoundaries(web.pcap);
    for (const [i, start] of [0, ...boundaries.slice(0, -1)].entries()) {
      await write(busy, web.pcap.subarray(start, boundaries[i]));
      expect(merge.bufferedBytes).toBeLessThanOrEqual(maxBufferedBytes);
    }
    expect(merge.progress.packets).toBeGreaterThanOrEqual(6); // the 3 kB ones do not fit together
    await Promise.all([end(busy), end(quiet)]);
    await merge.finish();
    expect(nameAndTime(mergedPackets(bytes()))).toEqual(expectedOrder([web]));
  });

  it("fails the merge and the pods still sending, without hanging, when the output fails", async () => {
    let writes = 0;
    const output = new Writable({
      write(_chunk, _encoding, done) {
        writes += 1;
        done(writes > 1 ? new Error("write EPIPE") : null); // the Section Header Block got through
      },
    });
    output.on("error", () => {}); // the caller owns the output, and its errors
    const merge = new PcapngMerge(output);
    const source = merge.addSource(web.info);
    source.on("error", () => {});
    await write(source, firstRecords(web.pcap, 3));
    await settled();
    await expect(write(source, web.pcap.subarray(firstRecords(web.pcap, 3).length))).rejects.toThrow(/EPIPE/);
    await expect(merge.finish()).rejects.toThrow(/EPIPE/);
  });

  it("with a slow output, holds at most maxBufferedBytes and slows the pods down instead", async () => {
    const maxBufferedBytes = 32 * 1024;
    const received: Buffer[] = [];
    const output = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk);
        setTimeout(done, 1);
      },
    });
    const merge = new PcapngMerge(output, { maxBufferedBytes });
    const pods = [
      pod(
        "fast-1",
        (t) => retimed(usec, t),
        times(3000, (i) => i * 2n * MS),
      ),
      pod(
        "fast-2",
        (t) => retimed(nsec, t),
        times(3000, (i) => i * 2n * MS + MS),
      ),
    ];
    let pulled = 0;
    let mostHeld = 0;
    let mostAhead = 0;
    const outputBytes = () => received.reduce((total, chunk) => total + chunk.length, 0);
    function* upstream(chunks: Buffer[]) {
      for (const chunk of chunks) {
        mostHeld = Math.max(mostHeld, merge.bufferedBytes);
        mostAhead = Math.max(mostAhead, pulled - outputBytes());
        pulled += chunk.length;
        yield chunk;
      }
    }
    const total = pods.reduce((sum, p) => sum + p.pcap.length, 0);
    await Promise.all(pods.map((p, k) => feed(merge.addSource(p.info), upstream(chunked(p.pcap, k, 4096)))));
    const stats = await merge.finish();

    // past the cap by at most one chunk per pod (and the record it completes) before their writes wait
    expect(mostHeld).toBeLessThanOrEqual(maxBufferedBytes + 2 * (4096 + 3100));
    // what the pods sent ahead of the output: the cap plus the streams' own small buffers
    expect(mostAhead).toBeLessThan(maxBufferedBytes + 512 * 1024);
    expect(total).toBeGreaterThan(8 * (maxBufferedBytes + 512 * 1024));
    expect(stats.packets).toBe(6000);
    expect(mergedPackets(Buffer.concat(received))).toHaveLength(6000);
  });
});
