// What a user must be allowed before podcap opens any SSH connection for them: by default
// `create pods/exec` (what `kubectl exec` needs, and capturing is at least that intrusive), or
// whatever the inventory names, such as a custom `packetcaptures.podcap.io`. Pure: the review
// itself is in access-check.ts.

import { UsageError } from "../errors.js";
import type { Inventory } from "../inventory/inventory-load.js";

export interface AccessRequirement {
  verb: string;
  /** "" is the core group. */
  group: string;
  resource: string;
  subresource?: string;
}

export const DEFAULT_ACCESS_REQUIREMENT: AccessRequirement = {
  verb: "create",
  group: "",
  resource: "pods",
  subresource: "exec",
};

/** How kubectl names it: `pods/exec`, `packetcaptures.podcap.io`, `widgets.example.com/status`. */
export function permissionName(required: AccessRequirement): string {
  const resource = required.group ? `${required.resource}.${required.group}` : required.resource;
  return required.subresource ? `${resource}/${required.subresource}` : resource;
}

/** The inventory's `settings.access.require`, else create pods/exec. */
export function accessRequirementOf(inventory: Pick<Inventory, "settings">): AccessRequirement {
  const entry = inventory.settings.access?.require;
  if (!entry) return DEFAULT_ACCESS_REQUIREMENT;
  return {
    verb: entry.verb,
    group: entry.group ?? "",
    resource: entry.resource,
    ...(entry.subresource ? { subresource: entry.subresource } : {}),
  };
}

/**
 * The requirement to check, or undefined when `--skip-access-check` was given and the inventory
 * allows it. A skip the inventory does not allow is a usage error: the check is the admin's
 * decision, not the caller's.
 */
export function accessCheckPlan(
  inventory: Pick<Inventory, "settings" | "file">,
  skipRequested: boolean,
): AccessRequirement | undefined {
  if (!skipRequested) return accessRequirementOf(inventory);
  if (inventory.settings.access?.allowSkip === true) return undefined;
  const where = inventory.file ? `the inventory ${inventory.file}` : "no inventory";
  throw new UsageError(
    `--skip-access-check is not allowed by ${where}`,
    "the access check is the inventory's decision: an admin may set settings.access.allowSkip: true; " +
      "otherwise run without --skip-access-check",
  );
}
