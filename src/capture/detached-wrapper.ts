// The program that keeps a capture running on the node after podcap has gone (`capture --detach`).
// Like the live wrapper (remote-wrapper.ts) it is constant POSIX sh and every value reaches it as a
// positional argument. One exec runs the launcher, which:
//   - creates /var/lib/podcap/captures/<id>/ (0700; on disk, not the /run tmpfs, because the files
//     are meant to stay until fetched; umask 077, so tcpdump's files are 0600),
//   - checks the target's network namespace and the filter (tcpdump's own `-d`), writes the record,
//   - starts the monitor with setsid, stdio on files, so neither the SSH channel closing nor a HUP
//     reaches it, waits until tcpdump listens, prints `started` and returns.
// The monitor runs `nsenter -n -t PID -- tcpdump -C MB -G SEC -w DIR/%Y%m%dT%H%M%SZ.pcap -z HOOK
// -Z root` under a hard `timeout`, and once a second checks the target's namespace (pod gone) and
// whether it was asked to stop (SIGTERM from `podcap stop`). It never removes the capture's files.
//
// Rotation and the space bound: tcpdump's -W cannot bound this by itself. With -G, -W means
// "exit after W files"; with -C alone it is a ring, but without -G a quiet capture never closes a
// file, so nothing would ever be fetchable while it runs; and -G with a constant name truncates the
// current file every period. So tcpdump rotates by size and by time into UTC-stamped names (a size
// rotation within one period appends 1, 2, ...) and the capture keeps `keep` files itself: tcpdump
// runs the hook (-z) on each file it closes, and the hook deletes the oldest closed files so that
// keep - 1 remain beside the new one. The monitor prunes once a second as well: tcpdump runs hooks
// asynchronously at the lowest priority (on a loaded machine they lag by hundreds of ms), and some
// nodes cannot run them at all (/var/lib mounted noexec; AppArmor's tcpdump profile lets -z run
// only gzip and bzip2). So on disk: at most keep files of -C MB plus one packet each (tcpdump
// checks the size after writing) once the pruning has caught up, within a second of a rotation;
// in that second, also what arrived in it (a flood on lo wrote 13 MB; test/wrapper measures it).
// -Z root: tcpdump otherwise drops to user tcpdump after opening the device and could neither
// create the next file in the root-only directory nor run the hook.

import { quote } from "../ssh/quote.js";
import { WrapperExit } from "./remote-wrapper.js";

export const PODCAP_STATE_DIR = "/var/lib/podcap";
export const CAPTURES_ROOT = `${PODCAP_STATE_DIR}/captures`;
/** tcpdump's -w name: strftime fields (TZ=UTC0), then tcpdump's own -C counter after ".pcap". */
export const FILE_TEMPLATE = "%Y%m%dT%H%M%SZ.pcap";
export const HOOK_NAME = "rotated";
/** How long the launcher waits for tcpdump's "listening on". */
export const START_WAIT_SECONDS = 10;

export const captureDir = (id: string) => `${CAPTURES_ROOT}/${id}`;

export const DetachedExit = {
  ...WrapperExit,
  toolMissing: WrapperExit.tcpdumpMissing,
  /** A detached capture is checked with `tcpdump -d` before it leaves for the background. */
  validationFailed: 72,
  startFailed: 76,
  storageFailed: 77,
  notFound: 78,
} as const;

export const DETACH_TAG = "podcap-detach:";

/**
 * sh functions every node-side script of detached captures shares (the node-captures ones too):
 * the last value of a record field, whether a pid is still one of this capture's processes (its
 * argv names the capture: a pid reused after a reboot does not count), the capture's pcap files
 * oldest first, and deleting the oldest of a list beyond a count.
 */
export const SH_FUNCTIONS = String.raw`
field() { sed -n "s/^$1=//p" "$2/record" 2>/dev/null | tail -n 1; }
owns() { [ -n "$1" ] && tr '\0' '\n' < "/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"; }
pcaps() {
  ls "$1" 2>/dev/null | awk -v d="$1" '/\.pcap[0-9]*$/ { i = index($0, ".pcap"); printf "%s %09d %s/%s\n", substr($0, 1, i - 1), substr($0, i + 5) + 0, d, $0 }' | sort | cut -d' ' -f3
}
drop_oldest() {
  excess=$(( $(printf '%s\n' "$1" | grep -c .) - $2 ))
  [ "$excess" -gt 0 ] || return 0
  printf '%s\n' "$1" | grep . | head -n "$excess" | while IFS= read -r old; do rm -f "$old"; done
}
`;

const HOOK = `#!/bin/sh
# tcpdump -z: $1 is the file just closed; keep keep-1 closed files beside the new one. tcpdump
# starts hooks at the lowest priority: on a busy node one would then lag far behind the capture.
renice -n 0 -p $$ >/dev/null 2>&1
dir=$(dirname "$1")
${SH_FUNCTIONS}
keep=$(field keep "$dir")
# The files up to the one just closed; none when the monitor has pruned that one already.
closed=$(pcaps "$dir" | awk -v last="$1" '{ seen[NR] = $0 } $0 == last { for (i = 1; i <= NR; i++) print seen[i]; exit }')
drop_oldest "$closed" $((keep - 1))
`;

const MONITOR = String.raw`
set -u
id=$1 pid=$2 max=$3 keep=$4 filter=$5; shift 5
dir=${CAPTURES_ROOT}/$id
${SH_FUNCTIONS}
put() { printf '%s=%s\n' "$1" "$2" >> "$dir/record"; }
trap '' HUP PIPE
stop=
trap 'stop=stopped-by-user' TERM INT
netns=$(readlink "/proc/$pid/ns/net" 2>/dev/null)
TZ=UTC0 setsid timeout -s INT -k 5 "$max" nsenter -n -t "$pid" -- "$@" -- "$filter" 2>>"$dir/tcpdump.log" &
group=$!
put wrapper "$$"
put group "$group"
put state running
while :; do
  if [ -n "$stop" ]; then reason=$stop; break; fi
  if ! kill -0 "$group" 2>/dev/null; then reason=ended; break; fi
  if [ "$(readlink "/proc/$pid/ns/net" 2>/dev/null)" != "$netns" ]; then reason=pod-gone; break; fi
  drop_oldest "$(pcaps "$dir")" "$keep"
  # A background sleep, so that a SIGTERM interrupts the wait at once.
  sleep 1 &
  nap=$!
  wait "$nap"
  kill "$nap" 2>/dev/null
done
# Without --immediate-mode the kernel hands packets over in blocks it closes up to 1 s after
# their arrival: interrupted at once, tcpdump would lose the last second's packets.
if [ "$reason" != ended ]; then sleep 1.2; kill -INT "$group" 2>/dev/null; fi
i=0
while kill -0 "$group" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -KILL "-$group" 2>/dev/null
wait "$group"; status=$?
# tcpdump may end first when the pod goes (its interface vanishes): that is still the pod's end.
if [ "$reason" = ended ]; then
  if [ "$(readlink "/proc/$pid/ns/net" 2>/dev/null)" != "$netns" ]; then reason=pod-gone
  elif [ "$status" -eq 124 ]; then reason=limit; else reason=tcpdump-exited; fi
fi
drop_oldest "$(pcaps "$dir")" "$keep"
put status "$status"
put reason "$reason"
put ended "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
put ended_epoch "$(date +%s)"
put state stopped
`;

const LAUNCHER = String.raw`
set -u
monitor=$1 hook=$2 id=$3 pid=$4 max=$5 keep=$6 filter=$7 meta=$8; shift 8
dir=${CAPTURES_ROOT}/$id
${SH_FUNCTIONS}
say() { printf '%s %s\n' '${DETACH_TAG}' "$*" >&2; }
fail() { code=$1; shift; say "$*"; rm -rf "$dir"; exit "$code"; }
for tool in "$1" nsenter setsid timeout; do
  command -v "$tool" >/dev/null 2>&1 || { say "tool-missing $tool"; exit ${DetachedExit.toolMissing}; }
done
umask 077
mkdir -p ${CAPTURES_ROOT} && chmod 700 ${PODCAP_STATE_DIR} ${CAPTURES_ROOT} || { say "storage-failed ${CAPTURES_ROOT}"; exit ${DetachedExit.storageFailed}; }
mkdir "$dir" || { say "record-exists $dir"; exit ${DetachedExit.recordExists}; }
netns=$(readlink "/proc/$pid/ns/net" 2>/dev/null) || netns=
if [ -z "$netns" ] || [ "$netns" = "$(readlink /proc/1/ns/net)" ] || [ "$netns" = "$(readlink /proc/$$/ns/net)" ]; then
  fail ${DetachedExit.targetGone} "target-gone $pid"
fi
if ! err=$(nsenter -n -t "$pid" -- "$@" -d -- "$filter" 2>&1 >/dev/null); then
  fail ${DetachedExit.validationFailed} "validation-failed $(printf '%s' "$err" | tr '\n' ' ')"
fi
printf 'id=%s\ntarget=%s\nnetns=%s\nkeep=%s\nlimit=%s\nstarted=%s\nstarted_epoch=%s\n' "$id" "$pid" "$netns" "$keep" "$max" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(date +%s)" > "$dir/record"
printf '%s\n' "$meta" >> "$dir/record"
printf '%s' "$hook" > "$dir/${HOOK_NAME}" && chmod 700 "$dir/${HOOK_NAME}" || fail ${DetachedExit.storageFailed} "storage-failed $dir"
cd /
setsid sh -c "$monitor" podcap-detached "$id" "$pid" "$max" "$keep" "$filter" "$@" </dev/null >>"$dir/wrapper.log" 2>&1 &
monitor_pid=$!
i=0
while [ "$i" -lt ${START_WAIT_SECONDS * 10} ]; do
  if grep -q 'listening on' "$dir/tcpdump.log" 2>/dev/null; then
    printf '%s started id=%s wrapper=%s\n' '${DETACH_TAG}' "$id" "$monitor_pid"; exit 0
  fi
  [ "$(field state "$dir")" = stopped ] && break
  sleep 0.1; i=$((i + 1))
done
kill -TERM "$monitor_pid" 2>/dev/null
i=0
while kill -0 "$monitor_pid" 2>/dev/null && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
fail ${DetachedExit.startFailed} "start-failed $(tr '\n' ' ' < "$dir/tcpdump.log" 2>/dev/null)"
`;

export interface DetachedWrapperOptions {
  captureId: string;
  targetPid: number;
  /** The hard limit on the node, whatever else happens. */
  maxSeconds: number;
  /** How many pcap files are kept (the one being written included). */
  keepFiles: number;
  filter: string;
  /** tcpdump's whole argv but the filter (detachedTcpdumpArgv). */
  tcpdumpArgv: string[];
  /** Written into the record as key=value lines: pod, namespace, node, options... */
  meta: Record<string, string | number | undefined>;
}

const META_KEY = /^[a-z][a-z_]{0,31}$/;

/** One key=value line per defined value; a value's line breaks become spaces. */
export function metaLines(meta: DetachedWrapperOptions["meta"]): string {
  return Object.entries(meta)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      if (!META_KEY.test(key)) throw new Error(`bad record key ${key}`);
      return `${key}=${String(value).replace(/[\r\n]+/g, " ")}`;
    })
    .join("\n");
}

/** The argv that starts a detached capture; the caller adds sudo when the node needs it. */
export function detachedWrapperArgv(options: DetachedWrapperOptions): string[] {
  const { captureId, targetPid, maxSeconds, keepFiles, filter, tcpdumpArgv } = options;
  if (!Number.isInteger(targetPid) || targetPid < 2) throw new Error(`bad target pid ${targetPid}`);
  if (!Number.isInteger(keepFiles) || keepFiles < 1) throw new Error(`bad file count ${keepFiles}`);
  return [
    "sh",
    "-c",
    LAUNCHER,
    "podcap-detach",
    MONITOR,
    HOOK,
    captureId,
    String(targetPid),
    `${Math.ceil(maxSeconds)}s`,
    String(keepFiles),
    filter,
    metaLines(options.meta),
    ...tcpdumpArgv,
  ];
}

/** For --debug: the command line as the node's shell receives it. */
export const detachedWrapperCommandLine = (options: DetachedWrapperOptions) =>
  quote(detachedWrapperArgv(options));
