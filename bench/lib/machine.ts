// What a figure was measured on. A ratio travels better than a figure, but neither means much
// without the CPU, the cores it shared and the versions of the tools it was compared with.

import { spawnSync } from "node:child_process";
import { cpus, release, totalmem } from "node:os";

export interface Machine {
  cpu: string;
  cores: number;
  memoryBytes: number;
  kernel: string;
  node: string;
  /**
   * NODE_EXTRA_CA_CERTS, when set: Node 20 then initialises OpenSSL and reads the file as every
   * process starts, before any of its code runs (~55 ms for a node -e 0 with Debian's 144 CAs
   * on the lab's machine), so it weighs on every podcap start and on no baseline tool.
   */
  nodeExtraCaCerts: string | null;
  /** First line of each tool's version output, keyed by tool. */
  tools: Record<string, string>;
  /** When the benchmark ran, ISO 8601. */
  date: string;
}

/**
 * The version a tool reports: `--version` unless `argv` says how (OpenSSH: `ssh -V`, on stderr).
 * A tool that is missing reads "not found" rather than failing the benchmark.
 */
export function toolVersion(tool: string, argv: string[] = [tool, "--version"]): string {
  const [command, ...args] = argv;
  const run = spawnSync(command ?? tool, args, { encoding: "utf8" });
  if (run.error) return "not found";
  const text = run.stdout.trim() || run.stderr.trim();
  return text.split("\n")[0]?.trim() ?? "unknown";
}

/** @param tools tool name -> argv that prints its version (default `NAME --version`). */
export function machineFacts(tools: Record<string, string[] | undefined> = {}): Machine {
  const processors = cpus();
  return {
    cpu: processors[0]?.model.trim() ?? "unknown",
    cores: processors.length,
    memoryBytes: totalmem(),
    kernel: release(),
    node: process.version,
    nodeExtraCaCerts: process.env.NODE_EXTRA_CA_CERTS ?? null,
    tools: Object.fromEntries(Object.entries(tools).map(([tool, argv]) => [tool, toolVersion(tool, argv)])),
    date: new Date().toISOString(),
  };
}
