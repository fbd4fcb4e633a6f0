// The fallback that needs no runtime tool, only a POSIX sh, find, head and readlink: find the
// cgroup directories named after the container ID, list the processes in them and report each
// one's network namespace next to the host's. The first process in a namespace of its own is
// the container's. The ID reaches the script as $1, never inside the script text.
//
// Cgroup layouts it covers, because the ID is matched anywhere in the path:
// - cgroup v2 unified at /sys/fs/cgroup, or v1 with its controllers below /sys/fs/cgroup/NAME
//   (and the hybrid /sys/fs/cgroup/unified);
// - systemd driver: .../docker-<id>.scope, .../cri-containerd-<id>.scope, .../crio-<id>.scope,
//   including the nested .../crio-<id>.scope/container of crun;
// - cgroupfs driver: /docker/<id>, /k8s.io/<id>, /kubepods/<qos>/pod<uid>/<id>.

import { AccessDenied, ContainerNotFound } from "../errors.js";
import { assertContainerId, shortContainerId } from "./container-id.js";
import { asHostPid } from "./inspect-output.js";
import { containerUnknown, unreadableOutput } from "./runtime-errors.js";
import type { RuntimeStrategy } from "./strategy.js";

const TOOL = "the cgroup scan";

/** Processes listed per cgroup: enough to get past an exiting one, bounded for huge pods. */
const PIDS_PER_CGROUP = 8;

export const CGROUP_SCAN_SCRIPT = `id=$1
case $id in ''|*[!0-9a-f]*) echo "error invalid-id"; exit 2;; esac
host=$(readlink /proc/1/ns/net 2>/dev/null || readlink /proc/self/ns/net 2>/dev/null)
printf 'host %s\\n' "\${host:--}"
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  roots=/sys/fs/cgroup
else
  roots="/sys/fs/cgroup/unified /sys/fs/cgroup/pids /sys/fs/cgroup/memory /sys/fs/cgroup/systemd"
fi
for root in $roots; do
  [ -d "$root" ] || continue
  found=$(find "$root" -path "*$id*" -name cgroup.procs -type f 2>/dev/null | while IFS= read -r procs; do
    head -n ${PIDS_PER_CGROUP} "$procs" 2>/dev/null | while IFS= read -r pid; do
      printf 'pid %s %s %s\\n' "$pid" "$(readlink "/proc/$pid/ns/net" 2>/dev/null || echo -)" "\${procs%/cgroup.procs}"
    done
  done)
  if [ -n "$found" ]; then printf '%s\\n' "$found"; exit 0; fi
done
`;

export interface CgroupCandidate {
  pid: number;
  /** `net:[4026532181]`, or undefined when the process was gone before readlink. */
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
  const container = scan.candidates.filter((c) => !c.cgroup.includes("conmon"));
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

export const cgroupScanStrategy: RuntimeStrategy = {
  name: "cgroup",
  schemes: ["docker", "containerd", "cri-o", "unknown"],

  inspectArgv(containerId) {
    // "podcap-cgroup-scan" becomes $0, the name the shell uses in its own error messages.
    return ["sh", "-c", CGROUP_SCAN_SCRIPT, "podcap-cgroup-scan", assertContainerId(containerId)];
  },

  parsePid(stdout, containerId) {
    return pickCgroupPid(parseCgroupScan(stdout), containerId);
  },
};
