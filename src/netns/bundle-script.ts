// The bundle's one remote exec: a constant POSIX sh script that runs every command of the bundle
// (in the pod's network namespace or the node's) and frames each one's output on stdout. Every
// value is a positional argument: the PID, then per command `where argc word...`. Only digits
// ever enter an eval's text ("${12}"), never a word. Outputs pass through a private temp dir so
// each frame can say its length before its bytes (any byte may appear in an output, so no marker
// could be trusted); the dir is removed on every exit, signals and a closed channel included.

import type { BundleCommand } from "./bundle-commands.js";

export const BUNDLE_TAG = "podcap-bundle:";
/** Prefix of the node's temp dir: the lab tests look for leftovers by it. */
export const BUNDLE_TMP_PREFIX = "podcap-bundle.";
/** Each command's own bound on the node. */
export const COMMAND_TIMEOUT_SECONDS = 20;

export const BundleExit = {
  targetGone: 71,
  nsenterMissing: 74,
  noTempDir: 76,
  badArguments: 77,
} as const;

const SCRIPT = String.raw`
set -u
pid=$1; shift
say() { printf '%s %s\n' '${BUNDLE_TAG}' "$*" >&2; }
command -v nsenter >/dev/null 2>&1 || { say nsenter-missing; exit ${BundleExit.nsenterMissing}; }
netns=$(readlink "/proc/$pid/ns/net" 2>/dev/null) || netns=
if [ -z "$netns" ] || [ "$netns" = "$(readlink /proc/1/ns/net)" ] || [ "$netns" = "$(readlink /proc/$$/ns/net)" ]; then
  say "target-gone $pid"; exit ${BundleExit.targetGone}
fi
dir=$(umask 077 && mktemp -d "/tmp/${BUNDLE_TMP_PREFIX}XXXXXX") || { say no-temp-dir; exit ${BundleExit.noTempDir}; }
trap 'rm -rf "$dir"' EXIT
# A signal or a closed channel (SIGPIPE on the next write) must still run the EXIT trap.
trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 141' PIPE; trap 'exit 143' TERM
n=0
while [ $# -gt 0 ]; do
  where=$1 argc=$2; shift 2
  case $argc in ''|*[!0-9]*) say bad-arguments; exit ${BundleExit.badArguments} ;; esac
  [ "$argc" -ge 1 ] && [ "$argc" -le $# ] || { say bad-arguments; exit ${BundleExit.badArguments}; }
  words= i=1
  while [ "$i" -le "$argc" ]; do words="$words \"\${$i}\""; i=$((i + 1)); done
  status=ran
  : > "$dir/out"; : > "$dir/err"
  if ! command -v "$1" >/dev/null 2>&1; then
    status=missing code=127
  elif [ "$where" = pod ]; then
    eval "timeout -k 2 ${COMMAND_TIMEOUT_SECONDS} nsenter -n -t \"\$pid\" -- $words" < /dev/null > "$dir/out" 2> "$dir/err"; code=$?
  else
    eval "timeout -k 2 ${COMMAND_TIMEOUT_SECONDS} $words" < /dev/null > "$dir/out" 2> "$dir/err"; code=$?
  fi
  if [ "$status" = ran ] && [ "$code" -eq 124 ]; then status=timeout; fi
  printf 'podcap-frame %s %s %s %s %s\n' "$n" "$status" "$code" $(($(wc -c < "$dir/out"))) $(($(wc -c < "$dir/err")))
  cat "$dir/out" "$dir/err"
  shift "$argc"; n=$((n + 1))
done
printf 'podcap-done %s\n' "$n"
`;

/** The argv of the bundle exec; run it with sudo where the node needs it. */
export function bundleScriptArgv(pid: number, commands: readonly BundleCommand[]): string[] {
  if (!Number.isSafeInteger(pid) || pid <= 0) throw new Error(`bad pid ${pid}`);
  const words = commands.flatMap((command) => {
    if (command.argv.length === 0) throw new Error(`${command.file}: empty command`);
    return [command.where, String(command.argv.length), ...command.argv];
  });
  return ["sh", "-c", SCRIPT, "podcap-bundle", String(pid), ...words];
}
