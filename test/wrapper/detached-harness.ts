// Runs the real detached wrapper (src/capture/detached-wrapper.ts) on this machine as root, the way
// one exec on a node runs it, against a target made by wrapper-harness.ts. Every capture it starts
// is registered for wrapper-harness's cleanUp(): its processes are killed and its directory removed.

import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { newDetachedCaptureId } from "../../src/capture/detached-capture-id.js";
import { detachedTcpdumpArgv, type Rotation } from "../../src/capture/detached-tcpdump-args.js";
import { captureDir, detachedWrapperArgv } from "../../src/capture/detached-wrapper.js";
import { quote } from "../../src/ssh/quote.js";
import { alive, onCleanUp, processes, type Target, uniqueName } from "./wrapper-harness.js";

export interface DetachedSpec {
  rotation?: Partial<Rotation>;
  maxSeconds?: number;
  filter?: string;
  /** Defaults to the target's pid. */
  targetPid?: number;
  /** Run the quoted command line through `sh -c`, as the node's login shell gets it over SSH. */
  viaShell?: boolean;
}

export interface Launched {
  id: string;
  dir: string;
  code: number | null;
  stdout: string;
  stderr: string;
  tookMs: number;
}

/** Runs the launcher to its end, as `ssh node <command>` would, and says what it printed. */
export function launch(target: Target, spec: DetachedSpec = {}): Promise<Launched> {
  const id = newDetachedCaptureId(uniqueName("pctest"));
  const rotation: Rotation = { rotateBytes: 1_000_000, rotateSeconds: 3_600, keepFiles: 3, ...spec.rotation };
  const wrapperArgv = detachedWrapperArgv({
    captureId: id,
    targetPid: spec.targetPid ?? target.pid,
    maxSeconds: spec.maxSeconds ?? 60,
    keepFiles: rotation.keepFiles,
    filter: spec.filter ?? "icmp",
    tcpdumpArgv: detachedTcpdumpArgv(id, { iface: "lo" }, rotation),
    meta: { namespace: "demo", pod: "web-1", container: "app", node: "pctest" },
  });
  const argv = spec.viaShell ? ["sh", "-c", quote(wrapperArgv)] : wrapperArgv;
  const dir = captureDir(id);
  onCleanUp(() => {
    // Whatever still names the capture (monitor, timeout, tcpdump, a hook), then its files.
    for (const p of processes()) {
      if (!p.args.includes(id) || p.pid === process.pid) continue;
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        // it ended while we looked
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const startedAt = Date.now();
  return new Promise((resolve) => {
    execFile(argv[0] as string, argv.slice(1), (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number }).code ?? null) : 0;
      resolve({ id, dir, code, stdout, stderr, tookMs: Date.now() - startedAt });
    });
  });
}

/** The record as key=value pairs, the last value of each key winning (states are appended). */
export function record(dir: string): Record<string, string> {
  const text = existsSync(`${dir}/record`) ? readFileSync(`${dir}/record`, "utf8") : "";
  const fields: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const at = line.indexOf("=");
    if (at > 0) fields[line.slice(0, at)] = line.slice(at + 1);
  }
  return fields;
}

/** The capture's pcap files, oldest first, with their sizes. */
export function pcapFiles(dir: string): { name: string; size: number; mode: number }[] {
  const key = (name: string) => {
    const [stem = "", n = ""] = name.split(".pcap");
    return `${stem} ${n.padStart(9, "0")}`;
  };
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /\.pcap\d*$/.test(name))
    .sort((a, b) => key(a).localeCompare(key(b)))
    .flatMap((name) => {
      try {
        const stat = statSync(`${dir}/${name}`);
        return [{ name, size: stat.size, mode: stat.mode & 0o777 }];
      } catch {
        return []; // pruned while we looked
      }
    });
}

export const totalBytes = (dir: string) => pcapFiles(dir).reduce((sum, file) => sum + file.size, 0);

/** Live processes (no zombies) whose argv names the capture. */
export const processesOf = (id: string) =>
  processes().filter((p) => p.args.includes(id) && p.state !== "Z" && alive(p.pid));
