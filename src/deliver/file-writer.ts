// A local pcap file written in batches: what arrives is gathered and written with one writev(2)
// per MiB, or 100 ms after the first byte of a batch so a slow capture still reaches the disk
// soon. Written from the main thread: at 40 MB/s, fs.WriteStream's one thread-pool round trip per
// 32 KiB SSH packet cost more CPU than the writes, on a machine where the capture competes with
// tcpdump and sshd for two cores.

import { closeSync, writevSync } from "node:fs";
import { Writable } from "node:stream";

const BATCH_BYTES = 2 ** 20;
const BATCH_MS = 100;

export class BatchedFileWriter extends Writable {
  private batch: Buffer[] = [];
  private batched = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly fd: number) {
    super({ highWaterMark: BATCH_BYTES });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.batch.push(chunk);
    this.batched += chunk.length;
    if (this.batched >= BATCH_BYTES) done(this.flushed());
    else {
      this.timer ??= setTimeout(() => {
        const error = this.flushed();
        if (error) this.destroy(error);
      }, BATCH_MS);
      done();
    }
  }

  override _final(done: (error?: Error | null) => void): void {
    done(this.flushed());
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    clearTimeout(this.timer);
    try {
      closeSync(this.fd);
    } catch {
      // closed already
    }
    done(error);
  }

  /** Writes the batch out whole; the error, if any. */
  private flushed(): Error | undefined {
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      const pending = this.batch;
      while (pending.length > 0) {
        let written = writevSync(this.fd, pending);
        // A short write (a full disk, a signal) leaves the rest: go on from where it stopped.
        while (pending.length > 0 && written >= (pending[0] as Buffer).length)
          written -= (pending.shift() as Buffer).length;
        if (written > 0) pending[0] = (pending[0] as Buffer).subarray(written);
      }
      return undefined;
    } catch (error) {
      return error as Error;
    } finally {
      this.batch = [];
      this.batched = 0;
    }
  }
}
