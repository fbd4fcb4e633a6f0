// Runs a command as a child process and measures what a user would see of it: wall time, CPU
// (user and system) and peak resident memory. GNU time reads the child's rusage, which Node
// does not expose for children; its report goes to a file so the child's stderr stays its own.

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const GNU_TIME = "/usr/bin/time";

export interface ChildRun {
  wallSeconds: number;
  userSeconds: number;
  systemSeconds: number;
  /** Peak resident set size, bytes. */
  peakRssBytes: number;
  exitCode: number;
  stderr: string;
}

export interface ChildRunOptions {
  env?: NodeJS.ProcessEnv;
  /** Throw on a non-zero exit (the default): a failed run has no meaningful timing. */
  check?: boolean;
}

/** Runs `argv` to its end; its stdout is discarded, its stderr kept for error messages. */
export async function runMeasured(argv: string[], options: ChildRunOptions = {}): Promise<ChildRun> {
  const dir = mkdtempSync(join(tmpdir(), "podcap-bench-time-"));
  const report = join(dir, "rusage");
  try {
    const [command, ...args] = argv;
    if (!command) throw new Error("runMeasured: empty command");
    const start = performance.now();
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve, reject) => {
      const child = spawn(GNU_TIME, ["-o", report, "-f", "%U %S %M", command, ...args], {
        env: options.env ?? process.env,
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (text: string) => {
        stderr += text;
      });
      child.on("error", reject).on("close", (exit) => resolve({ code: exit ?? -1, stderr }));
    });
    const wallSeconds = (performance.now() - start) / 1000;
    if (code !== 0 && options.check !== false)
      throw new Error(`${argv.join(" ")} exited with ${code}: ${stderr.trim()}`);
    const [user, system, maxRssKiB] =
      readFileSync(report, "utf8").trim().split("\n").at(-1)?.split(" ") ?? [];
    return {
      wallSeconds,
      userSeconds: Number(user),
      systemSeconds: Number(system),
      peakRssBytes: Number(maxRssKiB) * 1024,
      exitCode: code,
      stderr,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
