// The options every command that reaches nodes takes, worded once: where the inventory is, the
// hard limit on the node, and the lab-only host key switch.

import type { Command } from "commander";

export function addNodeOptions(command: Command): Command {
  return command
    .option(
      "--inventory <file>",
      "node inventory (default: PODCAP_INVENTORY, then ~/.config/podcap/inventory.yaml)",
    )
    .option("--node-limit <duration>", "hard limit on the node, whatever else fails", "1h")
    .option(
      "--insecure-accept-host-key",
      "accept unknown and changed host keys (labs only: this disables MITM protection)",
    );
}
