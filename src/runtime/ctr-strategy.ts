// ctr: `ctr --namespace k8s.io task ls` prints a table (TASK, PID, STATUS) of every task in the
// namespace the kubelet's containers live in. ctr has no per-task JSON lookup that older
// versions share, so the table is what stays stable across containerd releases.

import type { SshTarget } from "../inventory/ssh-target.js";
import { assertContainerId } from "./container-id.js";
import { asHostPid } from "./inspect-output.js";
import { containerNotRunning, containerUnknown, unreadableOutput } from "./runtime-errors.js";
import { socketPath } from "./socket-path.js";
import type { RuntimeStrategy } from "./strategy.js";

const TOOL = "ctr";
/** The containerd namespace the CRI plugin (and so the kubelet) uses. */
export const KUBERNETES_NAMESPACE = "k8s.io";

const HEADER = /^TASK\s+PID\s+STATUS\s*$/;

function taskList(containerIds: string[], sockets: SshTarget["sockets"]): string[] {
  containerIds.forEach(assertContainerId);
  // ctr takes a plain path, not a unix:// URL; global flags go before the subcommand.
  const address =
    sockets.containerd === undefined ? [] : ["--address", socketPath(sockets.containerd, "containerd")];
  return [TOOL, ...address, "--namespace", KUBERNETES_NAMESPACE, "task", "ls"];
}

export const ctrStrategy: RuntimeStrategy = {
  name: "ctr",
  schemes: ["containerd"],

  inspectArgv: (containerId, sockets) => taskList([containerId], sockets),
  // The table lists every task of the namespace: one argv answers for any containers.
  inspectManyArgv: taskList,

  parsePid(stdout, containerId) {
    const [header, ...rows] = stdout.split("\n").filter((line) => line.trim() !== "");
    if (header === undefined || !HEADER.test(header)) {
      throw unreadableOutput(TOOL, "expected a `TASK PID STATUS` table from `ctr task ls`");
    }
    for (const row of rows) {
      const [task, pidText, status] = row.trim().split(/\s+/);
      if (task !== containerId) continue;
      if (status !== "RUNNING") throw containerNotRunning(TOOL, containerId, status ?? "no status");
      const pid = asHostPid(pidText);
      if (pid === undefined) throw unreadableOutput(TOOL, `task ${task} has PID ${pidText ?? "none"}`);
      return pid;
    }
    throw containerUnknown(`ctr (namespace ${KUBERNETES_NAMESPACE})`, containerId);
  },
};
