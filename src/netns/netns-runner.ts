// The small constant sh script that puts a command into a pod's network namespace for `podcap
// exec` and `podcap shell`. Every value (PID, limit, the command) is a positional argument, never
// spliced into its text. It refuses a PID whose network namespace is gone or is the node's own:
// a PID reused by a host process since the runtime was asked must not turn `iptables -F` into a
// change to the node. Then it execs `nsenter -n -t PID -- CMD...`, so the remote process is the
// command itself and a signal forwarded by sshd (or sudo) reaches it directly.

import { PID_WAIT_SECONDS } from "../capture/remote-wrapper.js";
import { PodNotRunning, ToolMissing } from "../errors.js";

/** Lines the runner writes on stderr before the command starts begin with this. */
export const RUNNER_TAG = "podcap-netns:";

/** The runner's own exit codes, said only together with a RUNNER_TAG line (the bundle shares them). */
export const RunnerExit = {
  targetGone: 71,
  nsenterMissing: 74,
  noTarget: 75,
} as const;

const SCRIPT = String.raw`
set -u
pid=$1 limit=$2 input=$3; shift 3
say() { printf '%s %s\n' '${RUNNER_TAG}' "$*" >&2; }
command -v nsenter >/dev/null 2>&1 || { say nsenter-missing; exit ${RunnerExit.nsenterMissing}; }
# "-": the PID is the first line of stdin; a child sh reads it byte by byte and leaves the rest.
if [ "$pid" = - ]; then
  pid=$(timeout ${PID_WAIT_SECONDS} sh -c 'IFS= read -r line && printf %s "$line"')
  [ -n "$pid" ] || { say no-target; exit ${RunnerExit.noTarget}; }
fi
netns=$(readlink "/proc/$pid/ns/net" 2>/dev/null) || netns=
if [ -z "$netns" ] || [ "$netns" = "$(readlink /proc/1/ns/net)" ] || [ "$netns" = "$(readlink /proc/$$/ns/net)" ]; then
  say "target-gone $pid"; exit ${RunnerExit.targetGone}
fi
# "-" for the limit: an interactive shell, which must stay in the terminal's foreground group
# (timeout would move it out, and the shell would stop on its first read); the pty's hangup ends it.
if [ "$limit" = - ]; then exec nsenter -n -t "$pid" -- "$@"; fi
[ "$input" = stdin ] && exec timeout --foreground -k 5 "$limit" nsenter -n -t "$pid" -- "$@"
# The command reads nothing, and the channel's stdin is a dead man's switch: podcap ends it to
# stop the command (Ctrl-C), and so does the connection's end, however podcap died. Signals over
# SSH are no substitute: sshd refuses them for root logins ("requires privilege separation").
# timeout leads its own process group here, so TERM and then KILL reach everything it started.
exec 3<&0
timeout -k 5 "$limit" nsenter -n -t "$pid" -- "$@" < /dev/null 3<&- &
child=$!
{
  cat <&3 > /dev/null
  kill -TERM "-$child" 2>/dev/null || kill -TERM "$child" 2>/dev/null
  i=0
  while kill -0 "$child" 2>/dev/null && [ "$i" -lt 20 ]; do sleep 0.1; i=$((i + 1)); done
  kill -KILL "-$child" 2>/dev/null
} > /dev/null 2>&1 &
watcher=$!
exec 3<&-
wait "$child"; status=$?
# Once the command is gone its PID may be reused: the watcher must not outlive it.
kill "$watcher" 2>/dev/null
exit "$status"
`;

/** bash when the node has it (line editing, history), else sh: both interactive. */
const INTERACTIVE_SHELL = [
  "sh",
  "-c",
  "if command -v bash >/dev/null 2>&1; then exec bash -i; fi; exec sh -i",
];

export interface RunnerOptions {
  /** Undefined: the runner reads the PID as the first line of its stdin (pidLine()). */
  pid?: number;
  /** Hard limit on the node in seconds; undefined for an interactive shell on a pty. */
  limitSeconds?: number;
  command: readonly string[];
  /** The command reads the channel's stdin (`-i`, after the PID line); else the stdin is the stop switch. */
  stdin?: boolean;
}

/** The argv that runs `command` in the PID's network namespace; sudo is added by the session. */
export function runnerArgv(options: RunnerOptions): string[] {
  if (options.command.length === 0) throw new Error("the runner needs a command");
  return [
    "sh",
    "-c",
    SCRIPT,
    "podcap-netns",
    options.pid === undefined ? "-" : String(options.pid),
    options.limitSeconds === undefined ? "-" : `${Math.ceil(options.limitSeconds)}s`,
    options.stdin ? "stdin" : "switch",
    ...options.command,
  ];
}

export const shellRunnerArgv = (pid: number) => runnerArgv({ pid, command: INTERACTIVE_SHELL });

export const pidLine = (pid: number) => `${pid}\n`;

/**
 * The typed error for a runner that stopped before the command ran, or undefined when the exit
 * code is the command's own (its stderr held no runner line).
 */
export function runnerFailure(code: number | null, runnerLine: string | undefined, where: string) {
  if (runnerLine === undefined) return undefined;
  // The bundle script speaks the same way under its own tag: podcap-netns:, podcap-bundle:.
  const what = runnerLine.replace(/^podcap-[a-z]+:/, "").trim();
  if (code === RunnerExit.nsenterMissing)
    return new ToolMissing(
      `nsenter is not installed on ${where}`,
      "install util-linux on the node (it provides nsenter)",
    );
  if (code === RunnerExit.targetGone)
    return new PodNotRunning(
      `the container's process left its network namespace on ${where} (${what})`,
      "the container probably restarted: run the command again",
    );
  if (code === RunnerExit.noTarget)
    return new PodNotRunning(`no PID reached the runner on ${where}`, "run again with --debug");
  return undefined;
}
