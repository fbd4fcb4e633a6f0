// podcap fetch's transfer against a real sshd: a detached capture's files (made here under
// /var/lib/podcap/captures/<id>/, as on a node) come over SFTP, or through sudo's `tail` for a
// non-root login; a fetch cut in the middle resumes and ends byte-identical; a local file that is
// not the node's is refused; --merge joins the files in time order.

import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaptureFile } from "../../src/capture/capture-listing.js";
import { parseCaptureListing } from "../../src/capture/capture-listing.js";
import { newDetachedCaptureId } from "../../src/capture/detached-capture-id.js";
import { captureDir } from "../../src/capture/detached-wrapper.js";
import { fetchPlan } from "../../src/capture/fetch-plan.js";
import { listCapturesArgv } from "../../src/capture/node-captures.js";
import { fetchCaptureFiles, mergeFetchedFiles } from "../../src/deliver/fetch-capture.js";
import { FetchConflict } from "../../src/errors.js";
import { connectNode } from "../../src/ssh/connect-node.js";
import { epochNanos, mergedPackets, pcapFixture, retimed } from "../unit/pcap-tools.js";
import { canRunSshd, type Sshd, startSshd, targetFor } from "./sshd-fixture.js";

describe.skipIf(!canRunSshd)("fetching a detached capture over SSH", () => {
  let sshd: Sshd;
  let local: string;
  const id = newDetachedCaptureId(`pctest-${process.pid}`);
  const dir = captureDir(id);
  const contents = new Map<string, Buffer>();
  const files: CaptureFile[] = [];

  beforeAll(async () => {
    sshd = await startSshd();
    local = mkdtempSync(join(tmpdir(), "podcap-fetch-"));
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const [name, size] of [
      ["20261201T010000Z.pcap", 3_000_000],
      ["20261201T010000Z.pcap1", 1_234_567],
      ["20261201T020000Z.pcap", 10],
    ] as const) {
      const bytes = randomBytes(size);
      writeFileSync(join(dir, name), bytes, { mode: 0o600 });
      contents.set(name, bytes);
      files.push({ name, size, mtime: 0 });
    }
  });
  afterAll(async () => {
    await sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(local, { recursive: true, force: true });
  });

  const expectIdentical = (into: string) => {
    for (const [name, bytes] of contents) {
      expect(readFileSync(join(into, name)).equals(bytes)).toBe(true);
      expect(statSync(join(into, name)).mode & 0o777).toBe(0o600);
    }
  };

  it("downloads every file with progress, 0600 in a 0700 directory", async () => {
    const into = join(local, "plain");
    const session = await connectNode(targetFor(sshd));
    const progress: number[] = [];
    try {
      const fetched = await fetchCaptureFiles({
        session,
        id,
        files,
        dir: into,
        onProgress: (n) => progress.push(n),
      });
      expect(fetched.map((f) => f.how)).toEqual(["downloaded", "downloaded", "downloaded"]);
    } finally {
      await session.close();
    }
    expectIdentical(into);
    expect(statSync(into).mode & 0o777).toBe(0o700);
    expect(progress.at(-1)).toBe(3_000_000 + 1_234_567 + 10);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it("a fetch cut in the middle (connection dropped) resumes and ends byte-identical", async () => {
    const into = join(local, "cut");
    const first = await connectNode(targetFor(sshd));
    let cut = false;
    await expect(
      fetchCaptureFiles({
        session: first,
        id,
        files,
        dir: into,
        onProgress: (received) => {
          if (received > 1_500_000 && !cut) {
            cut = true;
            (first as unknown as { close(): Promise<void> }).close();
          }
        },
      }),
    ).rejects.toThrow();
    const partial = statSync(join(into, files[0]?.name as string)).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(3_000_000);
    const second = await connectNode(targetFor(sshd));
    try {
      const fetched = await fetchCaptureFiles({ session: second, id, files, dir: into });
      expect(fetched[0]).toMatchObject({ how: "resumed", transferred: 3_000_000 - partial });
      // Run again: nothing more comes.
      const again = await fetchCaptureFiles({ session: second, id, files, dir: into });
      expect(again.map((f) => f.how)).toEqual(["already-complete", "already-complete", "already-complete"]);
    } finally {
      await second.close();
    }
    expectIdentical(into);
  });

  it("a partial local file written elsewhere, or a longer one, is refused and left as it was", async () => {
    const into = join(local, "conflict");
    mkdirSync(into);
    const other = randomBytes(5000);
    writeFileSync(join(into, files[0]?.name as string), other);
    writeFileSync(join(into, files[2]?.name as string), randomBytes(11));
    const session = await connectNode(targetFor(sshd));
    try {
      await expect(fetchCaptureFiles({ session, id, files: files.slice(0, 1), dir: into })).rejects.toThrow(
        FetchConflict,
      );
      await expect(fetchCaptureFiles({ session, id, files: files.slice(2), dir: into })).rejects.toThrow(
        FetchConflict,
      );
    } finally {
      await session.close();
    }
    expect(readFileSync(join(into, files[0]?.name as string)).equals(other)).toBe(true);
  });

  it("lists a stopped capture through the node's shell, fetches its files and merges them in time order", async () => {
    const pcapId = newDetachedCaptureId(`pctest-${process.pid}-merge`);
    const pcapDir = captureDir(pcapId);
    mkdirSync(pcapDir, { recursive: true, mode: 0o700 });
    try {
      const template = pcapFixture("lo-icmp-usec.pcap");
      const at = (s: number) => epochNanos(`${1_796_000_000 + s}.000001`);
      writeFileSync(join(pcapDir, "20261201T010000Z.pcap"), retimed(template, [at(1), at(3), at(5)]));
      writeFileSync(join(pcapDir, "20261201T010000Z.pcap1"), retimed(template, [at(2), at(4), at(6)]));
      writeFileSync(
        join(pcapDir, "record"),
        `id=${pcapId}\nnamespace=demo\npod=web-1\nstate=running\nreason=pod-gone\nstate=stopped\n`,
      );
      const session = await connectNode(targetFor(sshd));
      let fetched: Awaited<ReturnType<typeof fetchCaptureFiles>>;
      try {
        const listing = await session.exec(listCapturesArgv(pcapId));
        expect(listing.code).toBe(0);
        const [capture] = parseCaptureListing(listing.stdout.toString(), `pctest-${process.pid}-merge`);
        expect(capture).toMatchObject({ id: pcapId, state: "pod-gone", pod: "web-1" });
        const plan = fetchPlan(capture as NonNullable<typeof capture>);
        expect(plan.files.map((f) => f.name)).toEqual(["20261201T010000Z.pcap", "20261201T010000Z.pcap1"]);
        fetched = await fetchCaptureFiles({
          session,
          id: pcapId,
          files: plan.files,
          dir: join(local, "merge"),
        });
      } finally {
        await session.close();
      }
      const merged = join(local, "merge", "all.pcapng");
      await mergeFetchedFiles(fetched, merged, "demo/web-1/eth0", `pctest ${pcapId}`);
      const packets = mergedPackets(readFileSync(merged));
      expect(packets.map((p) => p.nanos)).toEqual([1, 2, 3, 4, 5, 6].map(at));
      expect(new Set(packets.map((p) => p.name))).toEqual(new Set(["demo/web-1/eth0"]));
      expect(statSync(merged).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(pcapDir, { recursive: true, force: true });
    }
  });
});
