// Local commands for the lab: argv in, output out, a readable error when something fails.

import { execFile, type SpawnOptions, spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs argv and resolves with its output whatever the exit code. */
export function tryRun(argv: readonly string[], input?: string | Buffer): Promise<RunResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error("empty command");
  return new Promise((resolvePromise) => {
    const child = execFile(
      file,
      args,
      { maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 127) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Runs argv and returns stdout; a non-zero exit is an error that shows the command and stderr. */
export async function run(argv: readonly string[], input?: string | Buffer): Promise<string> {
  const result = await tryRun(argv, input);
  if (result.code !== 0) {
    throw new Error(
      `\`${argv.join(" ")}\` exited ${result.code}: ${result.stderr.trim() || result.stdout.trim()}`,
    );
  }
  return result.stdout;
}

/** Runs argv and returns its stdout as bytes (image archives, tarballs). */
export function runBytes(argv: readonly string[]): Promise<Buffer> {
  const [file, ...args] = argv;
  if (!file) throw new Error("empty command");
  return new Promise((resolveBytes, reject) => {
    execFile(file, args, { maxBuffer: 1024 * 1024 * 1024, encoding: "buffer" }, (error, stdout, stderr) =>
      error
        ? reject(new Error(`\`${argv.join(" ")}\` failed: ${stderr.toString().trim()}`))
        : resolveBytes(stdout),
    );
  });
}

/** Runs argv inside a network namespace without touching the mount namespace (unlike `ip netns exec`). */
export const inNetns = (netns: string, argv: readonly string[]) => [
  "nsenter",
  `--net=/run/netns/${netns}`,
  "--",
  ...argv,
];

/** Starts a long-running process detached from us, its output appended to a log file. */
export function startDetached(argv: readonly string[], logFile: string, options: SpawnOptions = {}): number {
  const [file, ...args] = argv;
  if (!file) throw new Error("empty command");
  mkdirSync(dirname(logFile), { recursive: true });
  const log = openSync(logFile, "a");
  const child = spawn(file, args, { ...options, detached: true, stdio: ["ignore", log, log] });
  closeSync(log);
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${file}`);
  return child.pid;
}

export const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/** Polls `check` until it returns a value, or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
