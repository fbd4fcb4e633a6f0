// Private keys for public-key authentication, read the way ssh reads IdentityFile: a missing
// file is skipped, and a passphrase-protected one is skipped too (podcap never prompts), with
// a note so the failure can say "load it in your agent".

import { readFile } from "node:fs/promises";
import ssh2, { type ParsedKey } from "ssh2";

export interface Identity {
  file: string;
  key: ParsedKey;
}

export type SkipReason = "missing" | "encrypted" | "unreadable" | "not a private key";

export interface SkippedIdentity {
  file: string;
  reason: SkipReason;
  detail?: string;
}

export interface Identities {
  usable: Identity[];
  skipped: SkippedIdentity[];
}

async function loadOne(file: string): Promise<Identity | SkippedIdentity> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT"
      ? { file, reason: "missing" }
      : { file, reason: "unreadable", detail: (error as Error).message };
  }
  const parsed = ssh2.utils.parseKey(data);
  // ssh2 returns an array for some OpenSSH key files: the first is the key ssh itself uses.
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey | Error | undefined) : parsed;
  if (key === undefined) return { file, reason: "not a private key" };
  if (key instanceof Error) {
    const encrypted = /passphrase|encrypted/i.test(key.message);
    return { file, reason: encrypted ? "encrypted" : "unreadable", detail: key.message };
  }
  if (!key.isPrivateKey()) return { file, reason: "not a private key" };
  return { file, key };
}

export async function loadIdentities(files: readonly string[]): Promise<Identities> {
  const results = await Promise.all(files.map(loadOne));
  return {
    usable: results.filter((result): result is Identity => "key" in result),
    skipped: results.filter((result): result is SkippedIdentity => "reason" in result),
  };
}
