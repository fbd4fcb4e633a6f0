// What OpenSSH would take from this machine when nothing is configured: the local user name,
// the agent from SSH_AUTH_SOCK, the default key files that exist, the default known_hosts.
// Gathered in one object so resolution stays a pure function in tests.

import { existsSync } from "node:fs";
import { homedir, userInfo } from "node:os";
import { join } from "node:path";

export interface LocalEnvironment {
  home: string;
  localUser: string;
  uid: number;
  /** $SSH_AUTH_SOCK, when set. */
  agentSocket?: string;
  fileExists: (path: string) => boolean;
}

export function localEnvironment(env: NodeJS.ProcessEnv = process.env): LocalEnvironment {
  const info = userInfo();
  return {
    home: homedir(),
    localUser: info.username,
    uid: info.uid,
    ...(env.SSH_AUTH_SOCK ? { agentSocket: env.SSH_AUTH_SOCK } : {}),
    fileExists: existsSync,
  };
}

/** OpenSSH's default identities, the modern ones first; only those that exist are offered. */
export function defaultIdentityFiles(env: LocalEnvironment): string[] {
  return ["id_ed25519", "id_ecdsa", "id_rsa"]
    .map((name) => join(env.home, ".ssh", name))
    .filter(env.fileExists);
}

/** The user file first: `podcap trust` appends there. */
export function defaultUserKnownHosts(env: LocalEnvironment): string[] {
  return [join(env.home, ".ssh", "known_hosts")];
}

export const DEFAULT_GLOBAL_KNOWN_HOSTS = ["/etc/ssh/ssh_known_hosts"];
