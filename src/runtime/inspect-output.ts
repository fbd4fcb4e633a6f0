// Shared reading steps for runtime tool output: JSON that may be garbage (a warning printed to
// stdout, a truncated stream) and PIDs that may be 0, negative or a string.

import { printable } from "../capture/printable.js";
import { unreadableOutput } from "./runtime-errors.js";

/** Parses a tool's stdout as JSON, turning a syntax error into a typed, readable one. */
export function parseJsonOutput(tool: string, stdout: string): unknown {
  try {
    return JSON.parse(stdout);
  } catch {
    throw unreadableOutput(tool, `expected JSON, got ${printable(stdout.trim(), 40)}`);
  }
}

// Linux PIDs stay below 2^22 (pid_max); anything larger is a misread, not a process.
const PID_MAX = 4_194_304;

/** The value as a host PID, or undefined when it is not one (0 means "no process" to runtimes). */
export function asHostPid(value: unknown): number | undefined {
  const pid = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  return typeof pid === "number" && Number.isInteger(pid) && pid > 1 && pid <= PID_MAX ? pid : undefined;
}
