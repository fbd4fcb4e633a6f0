// One small strategy per container runtime: an inspect argv to run on the node, and a pure
// parser of its output. Unit-tested on real output samples, no node needed.

import type { ContainerScheme } from "../kube/pod-target.js";
import type { RuntimeName, SshTarget } from "../inventory/ssh-target.js";

export interface RuntimeStrategy {
  name: RuntimeName;
  /** Schemes whose container IDs this runtime can look up. */
  schemes: readonly ContainerScheme[];
  /** The argv that prints what `parsePid` reads; runs with sudo when the target needs it. */
  inspectArgv(containerId: string, sockets: SshTarget["sockets"]): string[];
  /** The host PID of the container's main process; throws RuntimeNotFound when absent. */
  parsePid(stdout: string, containerId: string): number;
}
