import { randomBytes } from "node:crypto";
import { mkdtempSync, openSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterEach, describe, expect, it } from "vitest";
import { BatchedFileWriter } from "../../src/deliver/file-writer.js";

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), "podcap-writer-"));
  dirs.push(dir);
  return join(dir, "out.pcap");
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("BatchedFileWriter", () => {
  it("writes every byte in order, across many batches", async () => {
    const path = scratch();
    const chunks = Array.from({ length: 300 }, (_, i) => randomBytes(1 + ((i * 7919) % 40_000)));
    await pipeline(Readable.from(chunks), new BatchedFileWriter(openSync(path, "w")));
    expect(readFileSync(path).equals(Buffer.concat(chunks))).toBe(true);
  });

  it("puts a small write on the disk soon, before the stream ends", async () => {
    const path = scratch();
    const writer = new BatchedFileWriter(openSync(path, "w"));
    writer.write(Buffer.from("pcap header"));
    expect(statSync(path).size).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(readFileSync(path, "utf8")).toBe("pcap header");
    await new Promise((resolve) => writer.end(resolve));
  });

  it("reports a write that fails (a closed descriptor) as a stream error", async () => {
    const writer = new BatchedFileWriter(987_654);
    const failed = new Promise<Error>((resolve) => writer.on("error", resolve));
    writer.end(Buffer.from("x"));
    expect((await failed).message).toMatch(/EBADF/);
  });
});
