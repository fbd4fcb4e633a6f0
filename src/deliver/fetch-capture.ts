// `podcap fetch`: copies a detached capture's files from the node into a local directory, over
// SFTP when the login may read them (root), else through `sudo -n tail -c +N FILE` on the same
// session (the directory is root's, 0700). A local file that is shorter than the node's is
// resumed at its end once its last bytes are seen to match; one that is longer is refused; sizes
// are checked at the end. Files are 0600, a directory podcap creates 0700, as on the node.

import { createWriteStream } from "node:fs";
import { mkdir, open, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import type { CaptureFile } from "../capture/capture-listing.js";
import { localAction } from "../capture/fetch-plan.js";
import { captureFilePath } from "../capture/node-captures.js";
import { CaptureFailed, FetchConflict } from "../errors.js";
import type { NodeSession } from "../ssh/node-session.js";
import { mergePcapFiles } from "./merge-pcap-files.js";
import type { MergeStats } from "./pcapng-writer.js";

const SFTP_NO_SUCH_FILE = 2;
/** How much of a partial file's end is compared with the node's before resuming. */
const RESUME_CHECK_BYTES = 4096;

export interface FetchedFile {
  name: string;
  path: string;
  size: number;
  /** Bytes that came over the wire this time. */
  transferred: number;
  how: "downloaded" | "resumed" | "already-complete" | "rotated-away";
}

export interface FetchOptions {
  session: NodeSession;
  id: string;
  files: CaptureFile[];
  dir: string;
  /** Bytes received so far this run and the total to get. */
  onProgress?(received: number, total: number): void;
}

type OpenRemote = (path: string, start: number, end?: number) => Promise<Readable>;

/** A remote file's bytes from `start` (up to `end`, exclusive) as a stream. */
async function remoteReader(session: NodeSession): Promise<OpenRemote> {
  if (session.target.sudo) {
    return async (path, start, end) => {
      const argv = ["tail", "-c", `+${start + 1}`, "--", path];
      const command =
        end === undefined
          ? argv
          : [
              "sh",
              "-c",
              'tail -c "$1" -- "$2" | head -c "$3"',
              "read",
              `+${start + 1}`,
              path,
              String(end - start),
            ];
      const channel = await session.spawn(command, { sudo: true });
      channel.end();
      return channel;
    };
  }
  const sftp = await session.sftp();
  return async (path, start, end) =>
    sftp.createReadStream(path, end === undefined ? { start } : { start, end: end - 1 });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function localSize(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

/** The local file's last bytes before `end` are the node's: it is the start of the same file. */
async function samePrefix(openRemote: OpenRemote, remotePath: string, localPath: string, end: number) {
  const start = Math.max(0, end - RESUME_CHECK_BYTES);
  const remote = await readAll(await openRemote(remotePath, start, end));
  const local = Buffer.alloc(end - start);
  const handle = await open(localPath, "r");
  try {
    await handle.read(local, 0, local.length, start);
  } finally {
    await handle.close();
  }
  return remote.equals(local);
}

export async function fetchCaptureFiles(options: FetchOptions): Promise<FetchedFile[]> {
  const { session, id, files, dir } = options;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const openRemote = await remoteReader(session);
  const total = files.reduce((sum, file) => sum + file.size, 0);
  let received = 0;
  const fetched: FetchedFile[] = [];
  for (const file of files) {
    const remotePath = captureFilePath(id, file.name);
    const path = join(dir, file.name);
    const action = localAction(await localSize(path), file.size);
    if (
      action.kind === "conflict" ||
      (action.kind === "resume" && !(await samePrefix(openRemote, remotePath, path, action.from)))
    ) {
      throw new FetchConflict(
        `${path} exists and is not the start of ${file.name} on ${session.target.nodeName}`,
        "fetch into another directory with -o DIR, or move that file away",
      );
    }
    if (action.kind === "complete") {
      received += file.size;
      options.onProgress?.(received, total);
      fetched.push({ name: file.name, path, size: file.size, transferred: 0, how: "already-complete" });
      continue;
    }
    received += action.from;
    const source = await openRemote(remotePath, action.from);
    source.on("data", (chunk: Buffer) => {
      received += chunk.length;
      options.onProgress?.(received, total);
    });
    try {
      await pipeline(source, createWriteStream(path, { flags: action.from > 0 ? "a" : "w", mode: 0o600 }));
    } catch (error) {
      // A running capture's oldest file may be pruned by a rotation while the others come.
      if ((error as { code?: unknown }).code !== SFTP_NO_SUCH_FILE) throw error;
      fetched.push({ name: file.name, path, size: 0, transferred: 0, how: "rotated-away" });
      continue;
    }
    const size = await localSize(path);
    if (size !== file.size) {
      throw new CaptureFailed(
        `${file.name} from ${session.target.nodeName} is ${size ?? 0} bytes here, ${file.size} on the node`,
        "run the same fetch again: it resumes where this one stopped",
      );
    }
    fetched.push({
      name: file.name,
      path,
      size,
      transferred: size - action.from,
      how: action.from > 0 ? "resumed" : "downloaded",
    });
  }
  return fetched;
}

/** --merge: the fetched files, one pcapng interface each, in capture-time order, into `path` (0600). */
export async function mergeFetchedFiles(
  fetched: readonly FetchedFile[],
  path: string,
  name: string,
  description: string,
): Promise<MergeStats> {
  const output = createWriteStream(path, { mode: 0o600 });
  try {
    return await mergePcapFiles(
      fetched.map((file) => ({ path: file.path, name, description: `${description} ${file.name}` })),
      output,
    );
  } finally {
    output.end();
    await finished(output);
  }
}
