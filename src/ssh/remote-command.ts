// The exact line sent to the node for an argv: `quote()` is the only way in, and privilege is an
// argv prefix, never text glued onto a command.

import { quote } from "./quote.js";

/** `sudo -n` fails at once instead of waiting for a password nobody will type. */
export const SUDO_PREFIX = ["sudo", "-n", "--"] as const;

export function privilegedArgv(argv: readonly string[], useSudo: boolean): string[] {
  return useSudo ? [...SUDO_PREFIX, ...argv] : [...argv];
}

/**
 * The shell line for an argv. `needsPrivilege` is the command's wish, `targetUsesSudo` the
 * node's setting: sudo only when both say so (root logins need no sudo).
 */
export function remoteCommandLine(
  argv: readonly string[],
  needsPrivilege: boolean | undefined,
  targetUsesSudo: boolean,
): string {
  return quote(privilegedArgv(argv, Boolean(needsPrivilege) && targetUsesSudo));
}
