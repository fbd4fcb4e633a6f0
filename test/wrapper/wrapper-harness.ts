// Runs the real remote wrapper on this machine (as root, like a node) against a process in a
// network namespace the test makes itself (pctest-*), and finds whatever a capture leaves behind.
// Every netns, process and record it makes is registered for cleanUp(), which never throws.

import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  HEARTBEAT,
  targetPidLine,
  type WrapperOptions,
  wrapperArgv,
  wrapperCommandLine,
} from "../../src/capture/remote-wrapper.js";
import { buildTcpdumpArgv } from "../../src/capture/tcpdump-args.js";

export const RECORDS = "/run/podcap";
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const run = promisify(execFile);

const undo: (() => void)[] = [];
/** Registers one more thing for cleanUp() to undo (the detached wrapper's harness uses it). */
export const onCleanUp = (step: () => void): void => {
  undo.push(step);
};
/** Undoes everything the harness made, newest first, even after a failed test. */
export function cleanUp(): void {
  for (const step of undo.splice(0).reverse()) {
    try {
      step();
    } catch {
      // already gone
    }
  }
}

/** A PATH of one directory that links every tool on this PATH but `names`: a node without them. */
export function pathWithout(names: string[]): string {
  const dir = mkdtempSync("/tmp/pctest-path-");
  onCleanUp(() => rmSync(dir, { recursive: true, force: true }));
  for (const from of (process.env.PATH ?? "").split(":").filter(existsSync)) {
    for (const tool of readdirSync(from)) {
      if (!names.includes(tool) && !existsSync(join(dir, tool)))
        symlinkSync(join(from, tool), join(dir, tool));
    }
  }
  return dir;
}

let serial = 0;
/** A name no other test run on this machine uses: pctest-PID-N. */
export const uniqueName = (prefix = "pctest") => `${prefix}-${process.pid}-${++serial}`;

const linkOf = (path: string) => {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
};

export interface ProcessSeen {
  pid: number;
  /** R, S, D, Z...: a zombie (Z) has ended and holds nothing but its process table slot. */
  state: string;
  pgid: number;
  comm: string;
  args: string;
  netns?: string;
  /** What fds 0, 1 and 2 point to, e.g. socket:[123]. */
  stdio: (string | undefined)[];
}

export function processes(): ProcessSeen[] {
  const seen: ProcessSeen[] = [];
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      seen.push({
        pid: Number(entry),
        state: fields[0] ?? "?",
        pgid: Number(fields[2]),
        comm: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
        args: readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ").trim(),
        netns: linkOf(`/proc/${entry}/ns/net`),
        stdio: [0, 1, 2].map((fd) => linkOf(`/proc/${entry}/fd/${fd}`)),
      });
    } catch {
      // it ended while we looked
    }
  }
  return seen;
}

// Never this test process, its parent or init, whatever a sweep matched.
const untouchable = new Set([process.pid, process.ppid, 1]);
const killQuietly = (pid: number) => {
  if (untouchable.has(pid)) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
};

/** `p` has one of these sockets or pipes as its stdin, stdout or stderr. */
const holdsAny = (p: ProcessSeen, links: string[]) =>
  p.stdio.some((link) => link !== undefined && /^(socket|pipe):\[\d+\]$/.test(link) && links.includes(link));

export interface Target {
  namespace: string;
  pid: number;
  /** The netns link of the target, e.g. net:[4026532177]. */
  netns: string;
  kill(): void;
}

/** A fresh netns with lo up and a `sleep` in it: the stand-in for a pod's process. */
export async function startTarget(): Promise<Target> {
  const namespace = uniqueName();
  execFileSync("ip", ["netns", "add", namespace]);
  undo.push(() => execFileSync("ip", ["netns", "del", namespace]));
  execFileSync("ip", ["-n", namespace, "link", "set", "lo", "up"]);
  const child = spawn("ip", ["netns", "exec", namespace, "sleep", "300"], { stdio: "ignore" });
  const pid = child.pid as number;
  const hostNetns = linkOf("/proc/self/ns/net");
  for (let i = 0; i < 100 && [undefined, hostNetns].includes(linkOf(`/proc/${pid}/ns/net`)); i++)
    await sleep(10);
  const netns = linkOf(`/proc/${pid}/ns/net`);
  if (!netns || netns === hostNetns) throw new Error(`target ${pid} never entered ${namespace}`);
  // Everything left in the netns was started by this test (target, tcpdump, ping).
  undo.push(() => {
    for (const p of processes()) if (p.netns === netns) killQuietly(p.pid);
  });
  return { namespace, pid, netns, kill: () => child.kill("SIGKILL") };
}

/** `count` pings to 127.0.0.1 inside the netns, 50 ms apart: 2 × count ICMP packets on lo. */
export async function ping(namespace: string, count: number): Promise<void> {
  await run("ip", [
    "netns",
    "exec",
    namespace,
    "busybox",
    "ping",
    "-q",
    "-c",
    String(count),
    "-i",
    "0.05",
    "127.0.0.1",
  ]);
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

export interface WrapperRun {
  id: string;
  child: ChildProcess;
  /** The wrapper's ends of its stdin, stdout and stderr (socket:[inode]): whoever holds one is its. */
  stdio: string[];
  startedAt: number;
  lastBeatAt: number;
  stdout(): Buffer;
  stderr(): string;
  /** tcpdump said "listening on". */
  ready: Promise<void>;
  exited: Promise<Exit>;
  stopHeartbeat(): void;
  closeStdin(): void;
}

export interface WrapperSpec extends Partial<Omit<WrapperOptions, "tcpdumpArgv">> {
  targetPid: number;
  iface?: string;
  tcpdumpPath?: string;
  /** Run the quoted command line through `sh -c`, as the node's login shell gets it over SSH. */
  viaShell?: boolean;
  /**
   * Start with "-" for the PID and send it as the first line of stdin, as podcap does, then the
   * heartbeats ("withheld": send nothing, as podcap before the runtime's answer).
   */
  pidOnStdin?: boolean | "withheld";
  /** The wrapper's PATH instead of this process's, to take tools away from it. */
  path?: string;
}

export function startWrapper(spec: WrapperSpec): WrapperRun {
  const options: WrapperOptions = {
    captureId: uniqueName("pctest-cap"),
    maxSeconds: 20,
    silenceSeconds: 2,
    filter: "icmp",
    ...spec,
    targetPid: spec.pidOnStdin ? undefined : spec.targetPid,
    vantage: spec.vantage ?? { vantage: "pod", iface: spec.iface ?? "lo" },
    tcpdumpArgv: buildTcpdumpArgv({ iface: null, tcpdumpPath: spec.tcpdumpPath }),
  };
  const argv = spec.viaShell ? ["sh", "-c", wrapperCommandLine(options)] : wrapperArgv(options);
  const env = spec.path === undefined ? process.env : { ...process.env, PATH: spec.path };
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: ["pipe", "pipe", "pipe"], env });
  const pid = child.pid as number;
  const stdio = [0, 1, 2].map((fd) => linkOf(`/proc/${pid}/fd/${fd}`) ?? `gone:${fd}`);
  const out: Buffer[] = [];
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8");
  });
  child.stdin.on("error", () => {});
  const exited = new Promise<Exit>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr.on("data", () => err.includes("listening on") && resolve());
    void exited.then(() => reject(new Error(`the wrapper ended before tcpdump listened: ${err}`)));
  });
  ready.catch(() => {});
  const wrapper: WrapperRun = {
    id: options.captureId,
    child,
    stdio,
    startedAt: Date.now(),
    lastBeatAt: Date.now(),
    stdout: () => Buffer.concat(out),
    stderr: () => err,
    ready,
    exited,
    stopHeartbeat: () => clearInterval(heartbeat),
    closeStdin: () => {
      clearInterval(heartbeat);
      child.stdin.end();
    },
  };
  const beat = () => {
    if (child.stdin.writable) child.stdin.write(HEARTBEAT);
    wrapper.lastBeatAt = Date.now();
  };
  if (spec.pidOnStdin === true) child.stdin.write(targetPidLine(spec.targetPid));
  const heartbeat = spec.pidOnStdin === "withheld" ? undefined : setInterval(beat, 1000);
  if (heartbeat) beat();
  void exited.then(() => clearInterval(heartbeat));
  undo.push(() => {
    clearInterval(heartbeat);
    child.kill("SIGKILL"); // a no-op once it has ended: never a recycled pid
    for (const p of processes()) if (holdsAny(p, stdio)) killQuietly(p.pid);
    rmSync(`${RECORDS}/${options.captureId}`, { recursive: true, force: true });
  });
  return wrapper;
}

/** The wrapper's record while it runs, as key=value pairs; waits until it names the group. */
export async function readRecord(id: string): Promise<Record<string, string>> {
  for (let i = 0; i < 100; i++) {
    const path = `${RECORDS}/${id}/record`;
    const text = existsSync(path) ? readFileSync(path, "utf8") : "";
    if (text.includes("group="))
      return Object.fromEntries(
        text
          .trim()
          .split("\n")
          .map((l) => l.split("=", 2)),
      );
    await sleep(20);
  }
  throw new Error(`no record with a group under ${RECORDS}/${id}`);
}

/**
 * Everything of this capture still on the machine: its record, and any live process that has its
 * id in its argv, holds its stdio, runs in the target's netns (but the target) or in its group.
 * Zombies do not count: this machine's PID 1 never reaps orphans, a node's init does.
 */
export function leftovers(wrapper: WrapperRun, target: Target, group?: number): string[] {
  const found: string[] = [];
  if (existsSync(`${RECORDS}/${wrapper.id}`)) found.push(`record ${RECORDS}/${wrapper.id}`);
  for (const p of processes()) {
    if (p.pid === process.pid || p.pid === target.pid || p.state === "Z") continue;
    const why = [
      p.args.includes(wrapper.id) && "capture id in argv",
      holdsAny(p, wrapper.stdio) && "holds the wrapper's stdio",
      p.netns === target.netns && "in the target's netns",
      group !== undefined && p.pgid === group && "in the capture's process group",
    ].filter(Boolean);
    if (why.length > 0) found.push(`${p.pid} ${p.comm} (${why.join(", ")}): ${p.args.slice(0, 120)}`);
  }
  return found;
}

/** The process runs (it exists and is no zombie). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** The pid of the target netns' tcpdump, once it runs. */
export const tcpdumpIn = (target: Target) =>
  processes().find((p) => p.netns === target.netns && p.comm === "tcpdump")?.pid;

/** Polls `check` every 50 ms until it is true or `ms` pass; says whether it became true. */
export async function within(ms: number, check: () => boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}
