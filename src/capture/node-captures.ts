// What podcap does to the detached captures on one node: list them, stop one (and delete its
// files), sweep leftovers. Each is one constant POSIX sh script run in one exec through the node
// session, values as positional arguments; the scripts print tagged lines that
// capture-listing.ts parses. A pid only counts as the capture's wrapper (or tcpdump's group) while
// its argv names the capture, so a pid reused after a reboot is never signalled.

import { CAPTURES_ROOT, captureDir, DetachedExit, SH_FUNCTIONS } from "./detached-wrapper.js";

/** Appends the end of a capture whose wrapper is gone (killed, node rebooted) to its record. */
const MARK_GONE = String.raw`
mark_gone() {
  printf 'reason=wrapper-gone\nended=%s\nended_epoch=%s\nstate=stopped\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(date +%s)" >> "$1/record"
}
# tcpdump under timeout outlives a monitor killed with SIGKILL until the hard limit: end it too.
end_group() {
  g=$(field group "$1")
  if owns "$g" "$2"; then kill -INT "$g" 2>/dev/null; sleep 1; kill -KILL "-$g" 2>/dev/null; fi
  return 0
}
`;

const LIST = String.raw`
set -u
${SH_FUNCTIONS}
for dir in ${CAPTURES_ROOT}/*; do
  [ -d "$dir" ] || continue
  id=$(basename "$dir")
  if [ "$#" -gt 0 ] && [ "$id" != "$1" ]; then continue; fi
  printf 'capture %s\n' "$id"
  sed 's/^/record /' "$dir/record" 2>/dev/null
  if owns "$(field wrapper "$dir")" "$id"; then echo 'alive 1'; else echo 'alive 0'; fi
  pcaps "$dir" | while IFS= read -r f; do printf 'file %s %s\n' "$(stat -c '%s %Y' "$f")" "$(basename "$f")"; done
  echo end
done
`;

const STOP = String.raw`
set -u
id=$1 delete=$2
dir=${CAPTURES_ROOT}/$id
${SH_FUNCTIONS}
${MARK_GONE}
[ -d "$dir" ] || { echo "not-found $id"; exit ${DetachedExit.notFound}; }
w=$(field wrapper "$dir")
if owns "$w" "$id"; then
  kill -TERM "$w"
  i=0
  while owns "$w" "$id" && [ "$i" -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
fi
end_group "$dir" "$id"
if [ "$(field state "$dir")" != stopped ]; then mark_gone "$dir"; fi
echo "stopped $id $(field reason "$dir")"
if [ "$delete" = 1 ]; then rm -rf "$dir" && echo "deleted $id"; fi
`;

const CLEAN = String.raw`
set -u
age=$1 all=$2
${SH_FUNCTIONS}
${MARK_GONE}
now=$(date +%s)
for dir in ${CAPTURES_ROOT}/*; do
  [ -d "$dir" ] || continue
  id=$(basename "$dir")
  if [ "$(field state "$dir")" != stopped ]; then
    if owns "$(field wrapper "$dir")" "$id"; then echo "running $id"; continue; fi
    started=$(field started_epoch "$dir")
    # A launcher between mkdir and starting the monitor: not a leftover yet.
    if [ -z "$(field wrapper "$dir")" ] && [ -n "$started" ] && [ $((now - started)) -lt 60 ]; then echo "running $id"; continue; fi
    end_group "$dir" "$id"
    mark_gone "$dir"
    echo "marked $id"
  fi
  ended=$(field ended_epoch "$dir")
  [ -n "$ended" ] || ended=0
  if [ "$all" = 1 ] || [ $((now - ended)) -ge "$age" ]; then rm -rf "$dir" && echo "deleted $id"; else echo "kept $id"; fi
done
`;

/** Every capture on the node (or only `id`), records and files; parse with parseCaptureListing. */
export const listCapturesArgv = (id?: string): string[] => [
  "sh",
  "-c",
  LIST,
  "podcap-ls",
  ...(id === undefined ? [] : [id]),
];

/** Stops the capture (SIGTERM to its wrapper, which stops tcpdump and records why); keeps its files unless `remove`. */
export const stopCaptureArgv = (id: string, remove: boolean): string[] => [
  "sh",
  "-c",
  STOP,
  "podcap-stop",
  id,
  remove ? "1" : "0",
];

/**
 * Marks captures whose wrapper is gone as stopped (reason wrapper-gone, ending a tcpdump left
 * under its timeout), then deletes stopped captures that ended `olderThanSeconds` ago or more,
 * every stopped one with `all`. Running captures are never touched.
 */
export const cleanCapturesArgv = (olderThanSeconds: number, all: boolean): string[] => [
  "sh",
  "-c",
  CLEAN,
  "podcap-clean",
  String(Math.max(0, Math.floor(olderThanSeconds))),
  all ? "1" : "0",
];

/** Where a capture's files are, for SFTP. */
export const captureFilePath = (id: string, name: string) => `${captureDir(id)}/${name}`;
