// Which strategies to try, in order, for one container: the inventory's list when it has one,
// else the cgroup scan, which needs no runtime tool, then the runtime the container ID's scheme
// names. An unknown scheme gets the cgroup scan alone instead of a crash.

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

// The cgroup scan first: its shell builtins answer in a few ms where a runtime's CLI takes a
// tenth of a second or more (cgroup-scan-strategy.ts); a container it cannot find goes on to the
// runtime, whose answer says why.
const DEFAULT_ORDER: Readonly<Record<ContainerScheme, readonly RuntimeName[]>> = {
  docker: ["cgroup", "docker"],
  containerd: ["cgroup", "crictl", "ctr"],
  "cri-o": ["cgroup", "crictl"],
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
