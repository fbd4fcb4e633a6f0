// The lookup that needs no runtime tool, only a POSIX sh (and find, for deep layouts): find the
// cgroup directories named after the container ID, list the processes in them and report whose
// network namespace each is in, the host's or one of its own. The first process in a namespace
// of its own is the container's. The IDs reach the script as arguments, never inside its text.
//
// It is asked first, before the runtime's CLI: its globs and tests are shell builtins, where
// `docker container inspect` took 0.13-0.24 s on a lab node (the Go CLI starting, the daemon's
// answer), most of the time between the SSH exec and tcpdump. A container it does not find (one
// that ended, a layout it does not know) goes on to the runtime, which says why.
//
// Cgroup layouts it covers, because the ID is matched anywhere in a directory's name: globs one to
// four directories deep, then find at any depth.
// - cgroup v2 unified at /sys/fs/cgroup, or v1 with its controllers below /sys/fs/cgroup/NAME
//   (and the hybrid /sys/fs/cgroup/unified);
// - systemd driver: .../docker-<id>.scope, .../cri-containerd-<id>.scope, .../crio-<id>.scope,
//   including the nested .../crio-<id>.scope/container of crun (found by find);
// - cgroupfs driver: /docker/<id>, /k8s.io/<id>, /kubepods/<qos>/pod<uid>/<id>.

import { OWN_SCRIPT_PREFIX } from "../capture/remote-wrapper.js";
import { AccessDenied, ContainerNotFound } from "../errors.js";
import { assertContainerId, shortContainerId } from "./container-id.js";
import { asHostPid } from "./inspect-output.js";
import { containerUnknown, unreadableOutput } from "./runtime-errors.js";
import type { RuntimeStrategy } from "./strategy.js";

const TOOL = "the cgroup scan";

/** Processes listed per cgroup: enough to get past an exiting one, bounded for huge pods. */
const PIDS_PER_CGROUP = 8;

/** A process's namespace is told by `test -ef` against the host's: no readlink per process. */
const HOST = "host";
const OWN = "own";

export const CGROUP_SCAN_SCRIPT = `for id do case $id in ''|*[!0-9a-f]*) echo "error invalid-id"; exit 2;; esac; done
if [ -e /proc/1/ns/net ]; then ref=/proc/1/ns/net; else ref=/proc/$$/ns/net; fi
if [ -e "$ref" ]; then echo "host ${HOST}"; else echo "host -"; fi
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  roots=/sys/fs/cgroup
else
  roots="/sys/fs/cgroup/unified /sys/fs/cgroup/pids /sys/fs/cgroup/memory /sys/fs/cgroup/systemd"
fi
listed() {
  n=0
  while [ "$n" -lt ${PIDS_PER_CGROUP} ] && IFS= read -r pid; do
    n=$((n + 1))
    if [ "/proc/$pid/ns/net" -ef "$ref" ]; then ns=${HOST}; elif [ -e "/proc/$pid/ns/net" ]; then ns=${OWN}; else ns=-; fi
    printf 'pid %s %s %s\\n' "$pid" "$ns" "\${1%/cgroup.procs}"
  done < "$1"
  [ "$n" -gt 0 ]
}
for id do
  for root in $roots; do
    [ -d "$root" ] || continue
    found=
    for procs in "$root"/*"$id"*/cgroup.procs "$root"/*/*"$id"*/cgroup.procs \\
      "$root"/*/*/*"$id"*/cgroup.procs "$root"/*/*/*/*"$id"*/cgroup.procs; do
      [ -f "$procs" ] && listed "$procs" 2>/dev/null && found=1
    done
    [ -n "$found" ] && break
    found=$(find "$root" -path "*$id*" -name cgroup.procs -type f 2>/dev/null | while IFS= read -r procs; do
      listed "$procs" 2>/dev/null
    done)
    if [ -n "$found" ]; then printf '%s\\n' "$found"; break; fi
  done
done
`;

export interface CgroupCandidate {
  pid: number;
  /** `host` or `own` (a `net:[4026532181]` in older scans), undefined when gone or unreadable. */
  netns: string | undefined;
  cgroup: string;
}

export interface CgroupScan {
  /** The host's network namespace, undefined when the node would not show it. */
  hostNetns: string | undefined;
  candidates: CgroupCandidate[];
}

const HOST_LINE = /^host (\S+)$/;
const PID_LINE = /^pid (\d+) (\S+) (.+)$/;
const NO_NETNS = "-";
const REFUSED_LINE = "error invalid-id";

export function parseCgroupScan(stdout: string): CgroupScan {
  const scan: CgroupScan = { hostNetns: undefined, candidates: [] };
  let sawHost = false;
  for (const line of stdout.split("\n")) {
    if (line === REFUSED_LINE) throw unreadableOutput(TOOL, "the script refused the container ID");
    const host = HOST_LINE.exec(line);
    if (host?.[1] !== undefined) {
      sawHost = true;
      scan.hostNetns = host[1] === NO_NETNS ? undefined : host[1];
      continue;
    }
    const entry = PID_LINE.exec(line);
    const pid = asHostPid(entry?.[1]);
    if (entry?.[2] === undefined || entry[3] === undefined || pid === undefined) continue;
    scan.candidates.push({ pid, netns: entry[2] === NO_NETNS ? undefined : entry[2], cgroup: entry[3] });
  }
  if (!sawHost) throw unreadableOutput(TOOL, "the script printed no `host` line");
  return scan;
}

/**
 * The PID whose network namespace is the container's: the first live candidate outside the
 * host's namespace. CRI-O's conmon scope also carries the ID but is the runtime's monitor, not
 * the container. With `allowHostNetwork` (a hostNetwork pod) the host's namespace is accepted.
 */
export function pickCgroupPid(scan: CgroupScan, containerId: string, allowHostNetwork = false): number {
  const container = scan.candidates.filter(
    (c) => c.cgroup.includes(containerId) && !c.cgroup.includes("conmon"),
  );
  if (container.length === 0) throw containerUnknown(TOOL, containerId);
  const live = container.filter((c) => c.netns !== undefined);
  if (live.length === 0) {
    // Found, but /proc/PID/ns/net was unreadable: without root, readlink is refused.
    throw new AccessDenied(
      `the processes of container ${shortContainerId(containerId)} were found, but not their network namespaces`,
      "the cgroup scan needs root on the node: enable `sudo` for this node in the inventory, or connect as root",
    );
  }
  if (scan.hostNetns === undefined && !allowHostNetwork) {
    throw unreadableOutput(
      TOOL,
      "the node did not show the host's network namespace, so no process can be told apart",
    );
  }
  const own = live.find((c) => c.netns !== scan.hostNetns);
  if (own !== undefined) return own.pid;
  if (allowHostNetwork && live[0] !== undefined) return live[0].pid;
  throw new ContainerNotFound(
    `container ${shortContainerId(containerId)} runs in the host's network namespace`,
    "this looks like a hostNetwork pod: its traffic is the node's, capture on the node's interface instead",
  );
}

// "podcap-cgroup-scan" becomes $0, the name the shell uses in its own error messages; its prefix
// lets the live wrapper run the scan in its own shell (OWN_SCRIPT_PREFIX).
const scanArgv = (containerIds: string[]) => [
  "sh",
  "-c",
  CGROUP_SCAN_SCRIPT,
  `${OWN_SCRIPT_PREFIX}cgroup-scan`,
  ...containerIds.map(assertContainerId),
];

export const cgroupScanStrategy: RuntimeStrategy = {
  name: "cgroup",
  schemes: ["docker", "containerd", "cri-o", "unknown"],

  inspectArgv: (containerId) => scanArgv([containerId]),
  inspectManyArgv: scanArgv,

  parsePid(stdout, containerId) {
    return pickCgroupPid(parseCgroupScan(stdout), containerId);
  },
};
