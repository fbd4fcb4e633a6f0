// The lab's long-running processes (dockerd, containerd, sshd per node, the API stand-in), each
// known by a pid file so `status` can tell and `down` can stop them.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { paths, RUN_DIR } from "./layout.js";
import { sleep, startDetached } from "./sh.js";

const PID_DIR = join(RUN_DIR, "pids");

const pidFile = (name: string) => join(PID_DIR, `${name}.pid`);

export function daemonPid(name: string): number | undefined {
  if (!existsSync(pidFile(name))) return undefined;
  const pid = Number(readFileSync(pidFile(name), "utf8").trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `argv` as daemon `name` unless it already runs; returns its pid. */
export function ensureDaemon(name: string, argv: readonly string[]): number {
  const running = daemonPid(name);
  if (running) return running;
  mkdirSync(PID_DIR, { recursive: true });
  const pid = startDetached(argv, join(paths.logs, `${name}.log`));
  writeFileSync(pidFile(name), `${pid}\n`);
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
