// The few ways a runtime lookup can fail, worded once so every strategy says them the same way.

import { printable } from "../capture/printable.js";
import { RuntimeNotFound } from "../errors.js";
import { shortContainerId } from "./container-id.js";

export function containerNotRunning(tool: string, containerId: string, state: string): RuntimeNotFound {
  return new RuntimeNotFound(
    `container ${shortContainerId(containerId)} is not running (${tool} reports ${printable(state, 40)})`,
    "the pod may be restarting or finished: check `kubectl get pod` and try again once it is Running",
  );
}

export function containerUnknown(tool: string, containerId: string): RuntimeNotFound {
  return new RuntimeNotFound(
    `${tool} does not know container ${shortContainerId(containerId)}`,
    "the container may have been replaced by a restart, or the node runs another runtime: retry, or set `runtimes` for this node in the inventory",
  );
}

export function unreadableOutput(tool: string, detail: string): RuntimeNotFound {
  return new RuntimeNotFound(
    `could not read the output of ${tool}: ${detail}`,
    "run with --debug to see it; this runtime version may print a format podcap does not know yet",
  );
}
