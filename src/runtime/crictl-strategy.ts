// crictl: `crictl inspect -o json ID` prints {"status": ..., plus every key of the runtime's
// verbose info map}. Where the PID sits depends on the runtime behind it:
// - containerd and CRI-O >= 1.18 put one JSON object under "info": `.info.pid`;
// - CRI-O 1.12 to 1.17 returned flat keys ("pid", "sandboxId"), so `.pid` at the top level;
//   a newer crictl shows such a flat non-object value as null.

import * as z from "zod";
import type { SshTarget } from "../inventory/ssh-target.js";
import type { ContainerScheme } from "../kube/pod-target.js";
import { assertContainerId } from "./container-id.js";
import { asHostPid, parseJsonOutput } from "./inspect-output.js";
import { containerNotRunning, unreadableOutput } from "./runtime-errors.js";
import { socketEndpoint } from "./socket-path.js";
import type { RuntimeStrategy } from "./strategy.js";

const TOOL = "crictl";

// A sandbox ID works too (its PID is the pause process, which holds the pod's network namespace).
const UP_STATES = new Set(["CONTAINER_RUNNING", "SANDBOX_READY"]);

const crictlInspect = z.object({
  status: z.object({ state: z.string().optional() }).optional(),
  info: z.object({ pid: z.unknown().optional() }).nullish(),
  pid: z.unknown().optional(),
});

// Without a socket crictl uses /etc/crictl.yaml or its default endpoints, which is what the
// node's own admins use.
function endpointFor(scheme: ContainerScheme, sockets: SshTarget["sockets"]): string[] {
  if (scheme === "cri-o" && sockets.crio !== undefined) {
    return ["--runtime-endpoint", socketEndpoint(sockets.crio, "crio")];
  }
  if (scheme === "containerd" && sockets.containerd !== undefined) {
    return ["--runtime-endpoint", socketEndpoint(sockets.containerd, "containerd")];
  }
  return [];
}

export const crictlStrategy: RuntimeStrategy = {
  name: "crictl",
  // docker:// IDs answer through cri-dockerd, when the inventory asks for crictl there.
  schemes: ["containerd", "cri-o", "docker"],

  inspectArgv(containerId, sockets, scheme) {
    return [
      TOOL,
      ...endpointFor(scheme, sockets),
      "inspect",
      "--output",
      "json",
      assertContainerId(containerId),
    ];
  },

  parsePid(stdout, containerId) {
    const parsed = crictlInspect.safeParse(parseJsonOutput(TOOL, stdout));
    if (!parsed.success) throw unreadableOutput(TOOL, "the inspect JSON is not an object with a status");
    const state = parsed.data.status?.state;
    if (state === undefined) throw unreadableOutput(TOOL, "no status.state in the inspect JSON");
    if (!UP_STATES.has(state)) throw containerNotRunning(TOOL, containerId, state);
    const rawPid = parsed.data.info?.pid ?? parsed.data.pid;
    const pid = asHostPid(rawPid);
    if (pid === undefined) {
      throw unreadableOutput(
        TOOL,
        `no usable pid at .info.pid or .pid (found ${JSON.stringify(rawPid) ?? "none"})`,
      );
    }
    return pid;
  },
};
