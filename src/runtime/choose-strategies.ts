// Which strategies to try, in order, for one container: the inventory's list when it has one,
// else the runtime the container ID's scheme names, always ending with the cgroup scan, which
// needs no runtime tool. An unknown scheme gets the cgroup scan alone instead of a crash.

import { RuntimeNotFound } from "../errors.js";
import type { RuntimeName } from "../inventory/ssh-target.js";
import type { ContainerScheme } from "../kube/pod-target.js";
import { cgroupScanStrategy } from "./cgroup-scan-strategy.js";
import { crictlStrategy } from "./crictl-strategy.js";
import { ctrStrategy } from "./ctr-strategy.js";
import { dockerStrategy } from "./docker-strategy.js";
import type { RuntimeStrategy } from "./strategy.js";

export const STRATEGIES: Readonly<Record<RuntimeName, RuntimeStrategy>> = {
  docker: dockerStrategy,
  crictl: crictlStrategy,
  ctr: ctrStrategy,
  cgroup: cgroupScanStrategy,
};

const DEFAULT_ORDER: Readonly<Record<ContainerScheme, readonly RuntimeName[]>> = {
  docker: ["docker", "cgroup"],
  containerd: ["crictl", "ctr", "cgroup"],
  "cri-o": ["crictl", "cgroup"],
  unknown: ["cgroup"],
};

/**
 * The strategies to try for a container of `scheme`. `overrides` (the inventory's `runtimes`)
 * replaces the default order; entries that cannot look up this scheme are dropped, so a
 * node-wide list like [ctr, cgroup] still works for a docker:// container.
 */
export function chooseStrategies(
  scheme: ContainerScheme,
  overrides: readonly RuntimeName[] = [],
): RuntimeStrategy[] {
  const names = overrides.length > 0 ? [...new Set(overrides)] : DEFAULT_ORDER[scheme];
  const usable = names.map((name) => STRATEGIES[name]).filter((s) => s.schemes.includes(scheme));
  if (usable.length === 0) {
    throw new RuntimeNotFound(
      `none of the runtimes set for this node (${names.join(", ")}) can look up a ${scheme} container`,
      `add one of ${DEFAULT_ORDER[scheme].join(", ")} to the node's \`runtimes\` in the inventory, or remove the list`,
    );
  }
  return usable;
}
