// Where the audit logs are: on this machine under the XDG state directory (a log is state, not
// configuration or cache), on each node under /var/log; the inventory may name others.

import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import type { Inventory } from "../inventory/inventory-load.js";
import { resolveLocalPath } from "../inventory/local-paths.js";

export const DEFAULT_NODE_AUDIT_PATH = "/var/log/podcap/audit.jsonl";

/** $XDG_STATE_HOME/podcap/audit.jsonl; a relative XDG_STATE_HOME is ignored, as the spec says. */
export function defaultLocalAuditPath(
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  const state =
    env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : join(home, ".local", "state");
  return join(state, "podcap", "audit.jsonl");
}

export interface AuditPaths {
  local: string;
  node: string;
}

/** settings.audit.localPath (~ and relative to the inventory's directory) and nodePath, or the defaults. */
export function auditPaths(
  inventory: Pick<Inventory, "settings" | "baseDir">,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): AuditPaths {
  const audit = inventory.settings.audit;
  return {
    local: audit?.localPath
      ? resolveLocalPath(audit.localPath, inventory.baseDir, home)
      : defaultLocalAuditPath(env, home),
    node: audit?.nodePath ?? DEFAULT_NODE_AUDIT_PATH,
  };
}
