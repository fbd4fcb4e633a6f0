// Host key verification against known_hosts files, with OpenSSH's answers: a key is known, new,
// changed or revoked. The caller decides what each answer means (see host-key-policy.ts).

import { randomBytes } from "node:crypto";
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { keyTypeOfBlob, sha256Fingerprint } from "./key-blob.js";
import {
  entryMatchesHost,
  hashHostName,
  type KnownHostEntry,
  type KnownHostsProblem,
  parseKnownHosts,
} from "./known-hosts-file.js";

export type HostKeyStatus = "ok" | "unknown" | "mismatch" | "revoked";

export interface HostKeyVerdict {
  status: HostKeyStatus;
  /** `SHA256:...` of the key the server presented, as ssh prints it. */
  fingerprint: string;
  keyType: string;
  /** The line that decided (ok, mismatch, revoked); absent for unknown. */
  file?: string;
  line?: number;
  /** Lines skipped as unreadable, worth a debug note. */
  problems: KnownHostsProblem[];
  /** @cert-authority lines that matched: podcap does not check host certificates. */
  ignoredCertAuthorities: number;
}

const DEFAULT_SSH_PORT = 22;

/**
 * The name ssh records a host under: the HostKeyAlias when set, else the host for port 22 and
 * `[host]:port` for any other port; lowercase, as ssh lowercases host names.
 */
export function hostKeyName(host: string, port: number, hostKeyAlias?: string): string {
  if (hostKeyAlias) return hostKeyAlias.toLowerCase();
  const name = host.toLowerCase();
  return port === DEFAULT_SSH_PORT ? name : `[${name}]:${port}`;
}

/** Reads and parses the files in order; a missing file is simply empty, as for ssh. */
export async function loadKnownHosts(
  files: readonly string[],
): Promise<{ entries: KnownHostEntry[]; problems: KnownHostsProblem[] }> {
  const entries: KnownHostEntry[] = [];
  const problems: KnownHostsProblem[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw error;
    }
    const parsed = parseKnownHosts(text, file);
    entries.push(...parsed.entries);
    problems.push(...parsed.problems);
  }
  return { entries, problems };
}

/**
 * The decision for one presented key. Any known key for the host that is not this one makes a
 * mismatch, whatever its type: a server that suddenly offers another key type is treated as a
 * changed key rather than as a new host, so that "trust it" is never the easy answer.
 */
export function checkHostKey(
  entries: readonly KnownHostEntry[],
  name: string,
  keyBlob: Buffer,
): Omit<HostKeyVerdict, "problems"> {
  const fingerprint = sha256Fingerprint(keyBlob);
  const keyType = keyTypeOfBlob(keyBlob) ?? "unknown";
  const forHost = entries.filter((entry) => entryMatchesHost(entry, name));
  const ignoredCertAuthorities = forHost.filter((entry) => entry.marker === "cert-authority").length;
  const base = { fingerprint, keyType, ignoredCertAuthorities };
  const at = (entry: KnownHostEntry) => ({ file: entry.file, line: entry.line });
  const revoked = forHost.find((entry) => entry.marker === "revoked" && entry.key.equals(keyBlob));
  if (revoked) return { status: "revoked", ...base, ...at(revoked) };
  const plain = forHost.filter((entry) => entry.marker === undefined);
  const same = plain.find((entry) => entry.key.equals(keyBlob));
  if (same) return { status: "ok", ...base, ...at(same) };
  const other = plain.find((entry) => entry.keyType === keyType) ?? plain[0];
  if (other) return { status: "mismatch", ...base, ...at(other) };
  return { status: "unknown", ...base };
}

/** Key types known for a host, so the handshake can ask for those first, as ssh does. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], name: string): string[] {
  const types = entries
    .filter((entry) => entry.marker === undefined && entryMatchesHost(entry, name))
    .map((entry) => entry.keyType);
  return [...new Set(types)];
}

/** `verifyHostKey(files, "[10.0.0.5]:2222", blob)`: reads the files and decides. */
export async function verifyHostKey(
  files: readonly string[],
  name: string,
  keyBlob: Buffer,
): Promise<HostKeyVerdict> {
  const { entries, problems } = await loadKnownHosts(files);
  return { ...checkHostKey(entries, name, keyBlob), problems };
}

/** One known_hosts line for a key, hashed like HashKnownHosts=yes when asked. */
export function formatKnownHostLine(
  name: string,
  keyBlob: Buffer,
  options: { hashed?: boolean } = {},
): string {
  const keyType = keyTypeOfBlob(keyBlob);
  if (!keyType) throw new Error("not an SSH public key blob");
  let field = name;
  if (options.hashed) {
    const salt = randomBytes(20);
    field = `|1|${salt.toString("base64")}|${hashHostName(name, salt).toString("base64")}`;
  }
  return `${field} ${keyType} ${keyBlob.toString("base64")}\n`;
}

/** Appends a key for `name` (for `podcap trust`), creating ~/.ssh-like parents private. */
export async function appendKnownHost(
  file: string,
  name: string,
  keyBlob: Buffer,
  options: { hashed?: boolean } = {},
): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const existing = await readFile(file, "utf8").catch(() => "");
  // Never glue the new entry onto a last line that lacks its newline.
  const separator = existing === "" || existing.endsWith("\n") ? "" : "\n";
  await appendFile(file, separator + formatKnownHostLine(name, keyBlob, options), { mode: 0o600 });
}
