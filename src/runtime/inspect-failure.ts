// When a runtime tool exits non-zero, the caller needs to know whether to try the next
// strategy (the tool is missing or cannot reach its daemon), to stop because the container
// really is gone, or to stop because sudo or the socket refused us. Only the text says which:
// sudo reports a missing command with exit 1, dash with 127, Go tools with their own words.

export type InspectFailureKind =
  /** The tool is absent or cannot reach its runtime: fall through to the next strategy. */
  | "unusable"
  /** The runtime answered and does not have the container. */
  | "not-found"
  /** Privileges are missing (sudo wants a password, the socket is root-only). */
  | "denied"
  /** Anything else: report it. */
  | "failed";

export interface InspectFailure {
  kind: InspectFailureKind;
  /** The tool's own first line of complaint, trimmed, for messages and --debug. */
  reason: string;
}

export interface ExecOutcome {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

// First match wins. Permission problems come first because they also show up inside dial
// errors; the shells' "NAME: not found" is anchored so crictl's `...container "ID": not found`
// stays a real not-found.
const RULES: readonly (readonly [InspectFailureKind, RegExp])[] = [
  ["denied", /a password is required|a terminal is required|not in the sudoers|permission denied/i],
  ["unusable", /command not found|^[^\s:]+:(?: \d+:)? [^\s:]+: not found$|executable file not found/im],
  ["unusable", /No such file or directory|Cannot connect to the Docker daemon|Is the docker daemon running/i],
  ["unusable", /failed to dial|connection refused|transport: Error while dialing|context deadline exceeded/i],
  ["unusable", /unknown (?:flag|command|shorthand flag)|flag provided but not defined|Incorrect Usage/i],
  ["not-found", /No such container|No such object|code = NotFound|not found/i],
];

// Exit codes the shell itself uses for "no such command" (127) and "cannot execute" (126).
const SHELL_CANNOT_RUN = new Set([126, 127]);

const MAX_REASON = 200;

function firstComplaint(outcome: ExecOutcome): string {
  const text = outcome.stderr.trim() || outcome.stdout.trim();
  const line = text.split("\n").find((l) => l.trim() !== "") ?? `exit code ${outcome.exitCode ?? "none"}`;
  return line.trim().slice(0, MAX_REASON);
}

/** Classifies a failed inspect run; call it only when the exit code is not 0. */
export function classifyInspectFailure(outcome: ExecOutcome): InspectFailure {
  const reason = firstComplaint(outcome);
  if (outcome.exitCode !== null && SHELL_CANNOT_RUN.has(outcome.exitCode))
    return { kind: "unusable", reason };
  const text = `${outcome.stderr}\n${outcome.stdout}`;
  const rule = RULES.find(([, pattern]) => pattern.test(text));
  return { kind: rule?.[0] ?? "failed", reason };
}
