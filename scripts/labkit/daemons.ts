// The lab's long-running processes (dockerd, containerd, sshd per node, the API stand-in), each
// known by a pid file so `status` can tell and `down` can stop them.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { paths, RUN_DIR } from "./layout.js";
import { sleep, startDetached } from "./sh.js";

const PID_DIR = join(RUN_DIR, "pids");

const pidFile = (name: string) => join(PID_DIR, `${name}.pid`);

/** The pid file holds the pid, then the argv it was started with. */
function readPidFile(name: string): { pid: number; argv: string } | undefined {
  if (!existsSync(pidFile(name))) return undefined;
  const [pid = "", argv = ""] = readFileSync(pidFile(name), "utf8").split("\n");
  return { pid: Number(pid), argv };
}

export function daemonPid(name: string): number | undefined {
  const pid = readPidFile(name)?.pid;
  return pid !== undefined && Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `argv` as daemon `name` unless it already runs so; returns its pid. One started with
 * another argv (a lab brought up from another clone, with its own keys and certificates) is
 * stopped first.
 */
export async function ensureDaemon(name: string, argv: readonly string[]): Promise<number> {
  const running = daemonPid(name);
  if (running && readPidFile(name)?.argv === JSON.stringify(argv)) return running;
  if (running) await stopDaemon(name);
  mkdirSync(PID_DIR, { recursive: true });
  const pid = startDetached(argv, join(paths.logs, `${name}.log`));
  writeFileSync(pidFile(name), `${pid}\n${JSON.stringify(argv)}\n`);
  return pid;
}

export function daemonNames(): string[] {
  if (!existsSync(PID_DIR)) return [];
  return readdirSync(PID_DIR)
    .filter((f) => f.endsWith(".pid"))
    .map((f) => f.slice(0, -4));
}

/** Stops a daemon: SIGTERM, then SIGKILL if it has not gone within `graceMs`. */
export async function stopDaemon(name: string, graceMs = 5000): Promise<void> {
  const pid = daemonPid(name);
  if (pid) {
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (isAlive(pid) && Date.now() < deadline) await sleep(50);
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
    while (isAlive(pid)) await sleep(20);
  }
  rmSync(pidFile(name), { force: true });
}
