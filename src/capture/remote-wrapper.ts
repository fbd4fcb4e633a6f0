// The small program that runs on the node for the length of one capture. It is a constant POSIX
// sh script: every value reaches it as a positional argument, never spliced into its text.
//
// It can start before the target is known: given "-" for the PID, it runs the runtime's inspect
// argv (if given), tells its output on stderr, and reads the PID podcap parsed from it as the
// first line of its stdin. One exec per capture: the node's login shell, often the slowest part
// of an exec (an rc file that sets up pyenv costs ~0.7 s), starts once, and a node's sshd
// MaxSessions (10 by default) carries as many pods.
// It records itself under /run/podcap/<id>/, checks the target process, finds the interface at its
// vantage point, then runs `nsenter -n -t PID -- tcpdump ...` (or tcpdump in the node's namespace,
// for the veth and node vantage points) in its own process group under a hard `timeout`, and
// watches three things at each heartbeat:
//   - its stdin, where podcap writes a heartbeat line every second: EOF (channel or connection
//     closed, podcap killed) or silence (a partition, where no FIN ever arrives: no heartbeat for
//     one to two times the silence) stops the capture;
//   - the target process: when its network namespace is gone (pod deleted) the capture stops;
//   - tcpdump itself, which may end on its own (-c, the hard limit, an interface that vanished).
// Starting a process costs ~10 ms of CPU on some nodes (VMs), and a fan-out runs dozens of these:
// besides setsid, timeout, nsenter and tcpdump, the wrapper starts one process per silence (its
// nap), the rest are shell builtins: no readlink, no date, no child to read the PID. A filter or an
// interface tcpdump refuses is not checked apart with `tcpdump -d` first: that opened the
// interface and its 16 MiB ring a second time. tcpdump refuses it as it starts, before the pcap
// header, with the same words, and podcap reads them from its stderr (tcpdump-stderr.ts).
// On every path it interrupts tcpdump (so it flushes and prints its counts) once the packets
// captured before the stop have reached it, kills the group if it lingers, removes its record and
// says why it stopped on stderr.

import { quote } from "../ssh/quote.js";
import { type VantagePoint, wrapperVantageArgs } from "./vantage.js";

/** Exit codes of the wrapper itself; tcpdump's own codes pass through otherwise. */
export const WrapperExit = {
  recordExists: 70,
  targetGone: 71,
  tcpdumpMissing: 73,
  nsenterMissing: 74,
  noTarget: 75,
  vantageUnresolved: 79,
} as const;

/** What podcap writes on the wrapper's stdin every second while the capture runs. */
export const HEARTBEAT = "\n";

/** How long a wrapper started early waits for the PID on its stdin. */
export const PID_WAIT_SECONDS = 60;

/** Lines the wrapper writes on stderr start with this, so they never mix with tcpdump's. */
export const WRAPPER_TAG = "podcap-wrapper:";
/** The runtime inspect's stdout and stderr lines, then its status (wrapper-channel.ts reads them). */
export const INSPECT_TAG = "podcap-inspect:";
/** How long the runtime may take to answer the inspect. */
export const INSPECT_SECONDS = 30;
/**
 * An inspect argv `sh -c SCRIPT NAME ARG...` whose NAME starts with this is a script of podcap's
 * own: the wrapper runs it in a subshell of its own shell, without a process or a time bound.
 */
export const OWN_SCRIPT_PREFIX = "podcap-";

/**
 * Sets the positional parameters to tcpdump's command at the vantage point (vantage.ts): inside
 * the pod's namespace through nsenter, or in the node's own. The host end of a veth is the link
 * whose index the pod interface names as its peer (`2: eth0@if7:`).
 */
const VANTAGE = String.raw`
case $where in
  veth)
    peer=$(nsenter -n -t "$pid" -- ip -o link show dev "$iface" 2>/dev/null | sed -n 's/^[0-9]*: [^:@]*@if\([0-9]*\):.*/\1/p')
    iface=$(ip -o link show 2>/dev/null | sed -n "s/^$peer: \([^:@]*\)[:@].*/\1/p") ;;
  node)
    if [ "$iface" = - ]; then iface=$(ip route show default 2>/dev/null | sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -n 1); fi ;;
esac
if [ -z "$iface" ] || [ "$iface" = - ]; then say "vantage-unresolved $where"; exit ${WrapperExit.vantageUnresolved}; fi
printf 'where=%s\niface=%s\n' "$where" "$iface" >> "$dir/record"
if [ "$where" = pod ]; then set -- nsenter -n -t "$pid" -- "$tool" -i "$iface" "$@"; else set -- "$tool" -i "$iface" "$@"; fi
`;

const SCRIPT = String.raw`
set -u
id=$1 pid=$2 max=$3 silence=$4 filter=$5 where=$6 iface=$7 tool=$8 inspect=$9; shift 9
tag='${WRAPPER_TAG}'
dir=/run/podcap/$id
say() { printf '%s %s\n' "$tag" "$*" >&2; }
# Runs the first $1 of the remaining arguments (the inspect argv), bounded in time. A script of
# podcap's own (sh -c SCRIPT podcap-NAME ARG...: the cgroup scan, globs and tests over /sys and
# /proc) runs in a subshell of this one instead: two processes fewer to start (timeout, sh).
first() {
  k=$1; shift; i=0; for a do shift; [ "$i" -lt "$k" ] && set -- "$@" "$a"; i=$((i + 1)); done
  if [ "$#" -ge 4 ] && [ "$1 $2" = "sh -c" ]; then
    case $4 in ${OWN_SCRIPT_PREFIX}*) script=$3; shift 4; (eval "$script"); return;; esac
  fi
  timeout ${INSPECT_SECONDS} "$@"
}
# Tags each line of the inspect's output, a last line without a newline too: the shell's read for
# a short answer (the cgroup scan's: no process started), awk past the first 32 lines of a long one
# (dash's read makes a syscall per byte, ~0.1 s of CPU for a node's docker inspect), the shell's
# read for all of it where a node has no awk.
tagged() {
  [ -s "$2" ] || return 0
  left=32; command -v awk >/dev/null 2>&1 || left=-1
  {
    while [ "$left" -ne 0 ] && { IFS= read -r line || [ -n "$line" ]; }; do
      printf '%s%s %s\n' '${INSPECT_TAG}' "$1" "$line"; left=$((left - 1))
    done
    [ "$left" -ne 0 ] || awk -v t='${INSPECT_TAG}'"$1 " '{ print t $0 }'
  } < "$2" >&2
}
command -v "$tool" >/dev/null 2>&1 || { say "tcpdump-missing $tool"; exit ${WrapperExit.tcpdumpMissing}; }
command -v nsenter >/dev/null 2>&1 || { say "nsenter-missing"; exit ${WrapperExit.nsenterMissing}; }
umask 077
{ [ -d /run/podcap ] || mkdir -p /run/podcap; } && mkdir "$dir" || { say "record-exists $dir"; exit ${WrapperExit.recordExists}; }
trap 'rm -rf "$dir"' EXIT
trap '' HUP PIPE
# stdin belongs, from the start, to a reader: it takes the target's PID from the first line when
# it is to come ("-"), then counts the heartbeats. It notes each in a file and wakes the wrapper
# (USR1), and notes eof at the end. The wrapper waits on a nap of $silence seconds, and starts
# another only once the last has run out: one process every $silence seconds, not one per
# heartbeat. A nap through which no heartbeat came means they were lost. A wake-up that comes
# between the wrapper's look at the file and its wait is lost; the next heartbeat, a second later
# at most, wakes it (podcap sends one right after the PID).
trap : USR1
: > "$dir/beats"
exec 3<&0
(
  if [ "$pid" = - ]; then IFS= read -r line && printf '%s\n' "$line" > "$dir/pid"; kill -USR1 $$; fi
  n=0
  while IFS= read -r _; do n=$((n + 1)); printf '%s\n' "$n" > "$dir/beats"; kill -USR1 $$; done
  printf 'eof\n' > "$dir/beats"; kill -USR1 $$
) <&3 >/dev/null 2>&1 &
reader=$!
nap= slept=1 seen= beats=
# The reader and the nap end with the wrapper, on every path; their PIDs are forgotten once killed.
quiet() { [ -z "$reader$nap" ] || kill $reader $nap 2>/dev/null; reader= nap=; }
trap 'quiet; rm -rf "$dir"' EXIT
# Starts a nap unless one runs; $seen is the count as it began.
napping() {
  [ -z "$nap" ] || return 0
  read -r seen < "$dir/beats"
  sleep "$silence" </dev/null >/dev/null 2>&1 4<&- & nap=$!
}
# Waits until woken or until the nap runs out (slept=0).
doze() {
  napping
  wait "$nap"; slept=$?
  [ "$slept" -gt 128 ] || nap=
  beats=; read -r beats < "$dir/beats"
}
# Napping before the inspect: the PID that answers it finds the wrapper waiting, not starting a nap.
if [ "$pid" = - ]; then napping; fi
if [ "$inspect" -gt 0 ]; then
  first "$inspect" "$@" > "$dir/inspect.out" 2> "$dir/inspect.err"; status=$?
  tagged out "$dir/inspect.out"; tagged err "$dir/inspect.err"
  printf '%sdone %s\n' '${INSPECT_TAG}' "$status" >&2
  shift "$inspect"
fi
if [ "$pid" = - ]; then
  pid= naps=0
  until { [ -s "$dir/pid" ] && read -r pid < "$dir/pid"; } || [ "$beats" = eof ] || [ "$naps" -ge $(( (${PID_WAIT_SECONDS} + silence - 1) / silence )) ]; do
    doze; [ "$slept" -eq 0 ] && naps=$((naps + 1))
  done
  case $pid in ''|*[!0-9]*) say "no-target"; exit ${WrapperExit.noTarget};; esac
fi
# fd 4 holds the target's namespace: the watch compares it with the target's (test -ef), no readlink.
if [ "/proc/$pid/ns/net" -ef /proc/1/ns/net ] || [ "/proc/$pid/ns/net" -ef "/proc/$$/ns/net" ] ||
  ! { command exec 4< "/proc/$pid/ns/net"; } 2>/dev/null; then
  say "target-gone $pid"; exit ${WrapperExit.targetGone}
fi
# When it began is the directory's time: date would be one process more.
printf 'wrapper=%s\ntarget=%s\n' "$$" "$pid" > "$dir/record"
${VANTAGE}
setsid timeout -s INT -k 5 "$max" "$@" -- "$filter" 4<&- &
group=$!
printf 'group=%s\n' "$group" >> "$dir/record"
reason=tcpdump-exited
while kill -0 "$group" 2>/dev/null; do
  doze
  if [ "$beats" = eof ]; then reason=stdin-closed; break; fi
  if [ "$slept" -eq 0 ] && [ "$beats" = "$seen" ]; then reason=heartbeat-lost; break; fi
  if ! [ "/proc/$pid/ns/net" -ef /proc/$$/fd/4 ]; then reason=target-gone; break; fi
done
quiet
# Without --immediate-mode the kernel hands packets over in blocks it closes up to 1 s (tcpdump's
# buffer timeout) after their arrival; interrupted at once, tcpdump would lose those last packets.
if [ "$reason" != tcpdump-exited ]; then sleep 1.2; fi
kill -INT "$group" 2>/dev/null
i=0
while kill -0 "$group" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
# No "--": dash's kill reads it as a pid and kills nothing; "-N" alone works in dash, bash, busybox.
kill -KILL "-$group" 2>/dev/null
wait "$group"; status=$?
# tcpdump may end first when the pod goes (its interface vanishes): that is still the pod's end.
if [ "$reason" = tcpdump-exited ] && ! [ "/proc/$pid/ns/net" -ef /proc/$$/fd/4 ]; then reason=target-gone; fi
say "stopped reason=$reason status=$status"
exit "$status"
`;

export interface WrapperOptions {
  captureId: string;
  /** Undefined: the wrapper reads it from the first line of its stdin (see sendTargetPid). */
  targetPid?: number;
  /** The hard limit on the node, whatever else fails. */
  maxSeconds: number;
  /** How long stdin may stay silent before the capture is taken for orphaned. */
  silenceSeconds: number;
  filter: string;
  /** Where tcpdump listens: the pod's interface, the host end of its veth, a node interface. */
  vantage: VantagePoint;
  /** tcpdump's argv without -i and the filter, starting with the tcpdump path. */
  tcpdumpArgv: string[];
  /** Run first when the PID is to come on stdin: the runtime's inspect, answered on stderr. */
  inspectArgv?: string[];
}

/** The argv that runs the wrapper; the caller adds sudo when the node needs it. */
export function wrapperArgv(options: WrapperOptions): string[] {
  const { captureId, targetPid, maxSeconds, silenceSeconds, filter, vantage, tcpdumpArgv } = options;
  const inspectArgv = options.inspectArgv ?? [];
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/.test(captureId)) throw new Error(`bad capture id ${captureId}`);
  return [
    "sh",
    "-c",
    SCRIPT,
    "podcap-capture",
    captureId,
    targetPid === undefined ? "-" : String(targetPid),
    `${Math.ceil(maxSeconds)}s`,
    String(Math.ceil(silenceSeconds)),
    filter,
    ...wrapperVantageArgs(vantage),
    tcpdumpArgv[0] ?? "tcpdump",
    String(inspectArgv.length),
    ...inspectArgv,
    ...tcpdumpArgv.slice(1),
  ];
}

/** For --debug: the command line exactly as the node's shell receives it. */
export const wrapperCommandLine = (options: WrapperOptions) => quote(wrapperArgv(options));

/** The first line a wrapper started without a PID waits for. */
export const targetPidLine = (pid: number) => `${pid}\n`;
