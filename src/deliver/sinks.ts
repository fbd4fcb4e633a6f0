// Where the pcap bytes go: a new local file (0600, like every capture podcap writes), standard
// output for a pipe into tshark or Wireshark, or a Wireshark that podcap starts itself.

import { spawn } from "node:child_process";
import { fchmodSync, openSync } from "node:fs";
import type { Writable } from "node:stream";
import { ToolMissing, UsageError } from "../errors.js";
import { BatchedFileWriter } from "./file-writer.js";

export type OutputTarget = { kind: "file"; path: string } | { kind: "stdout" } | { kind: "wireshark" };

export interface Sink {
  stream: Writable;
  /** Where the user finds the bytes, for the summary. */
  where: string;
  /** Flushes and closes; resolves once everything is on disk or handed over. */
  close(): Promise<void>;
}

export function openFileSink(path: string): Sink {
  let fd: number;
  try {
    fd = openSync(path, "w", 0o600);
    fchmodSync(fd, 0o600); // an existing file keeps its mode through open()
  } catch (error) {
    throw new UsageError(
      `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      "pick a writable path with -o",
    );
  }
  const stream = new BatchedFileWriter(fd);
  return {
    stream,
    where: path,
    close: () =>
      new Promise((resolve) => {
        if (stream.writableFinished || stream.destroyed) resolve();
        else stream.end(resolve);
      }),
  };
}

export function stdoutSink(): Sink {
  return { stream: process.stdout, where: "standard output", close: async () => {} };
}

export function wiresharkSink(): Sink {
  const child = spawn("wireshark", ["-k", "-i", "-"], { stdio: ["pipe", "ignore", "ignore"] });
  child.on("error", () => {});
  if (child.pid === undefined) {
    throw new ToolMissing(
      "Wireshark is not installed here",
      "install it, or pipe instead: podcap capture POD -o - | wireshark -k -i -",
    );
  }
  return {
    stream: child.stdin,
    where: "Wireshark",
    close: () => new Promise((resolve) => child.stdin.end(resolve)),
  };
}

export function openSink(output: OutputTarget): Sink {
  if (output.kind === "stdout") return stdoutSink();
  if (output.kind === "wireshark") return wiresharkSink();
  return openFileSink(output.path);
}
