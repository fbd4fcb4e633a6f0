// One small strategy per container runtime: an inspect argv to run on the node, and a pure
// parser of its output. Unit-tested on real output samples, no node needed.

import type { RuntimeName, SshTarget } from "../inventory/ssh-target.js";
import type { ContainerScheme } from "../kube/pod-target.js";

export interface RuntimeStrategy {
  name: RuntimeName;
  /** Schemes whose container IDs this runtime can look up. */
  schemes: readonly ContainerScheme[];
  /**
   * The argv that prints what `parsePid` reads; runs with sudo when the target needs it.
   * `scheme` tells tools that serve several runtimes (crictl) which socket to use.
   * Throws ContainerNotFound for an ID that is not hex, ConfigInvalid for a bad socket setting.
   */
  inspectArgv(containerId: string, sockets: SshTarget["sockets"], scheme: ContainerScheme): string[];
  /** One argv whose output `parsePid` reads for each of these containers, if the tool has one. */
  inspectManyArgv?(containerIds: string[], sockets: SshTarget["sockets"], scheme: ContainerScheme): string[];
  /** The host PID of the container's main process; throws RuntimeNotFound when it is absent or not running. */
  parsePid(stdout: string, containerId: string): number;
}
