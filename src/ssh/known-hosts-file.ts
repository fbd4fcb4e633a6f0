// Pure reading of OpenSSH known_hosts text (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): one key per
// line, optional @revoked / @cert-authority marker, a host field that is either a comma list of
// patterns or one hashed name `|1|salt|hmac`, then key type, base64 key blob, comment.

import { createHmac } from "node:crypto";
import { matchPatternList } from "./host-pattern.js";
import { keyTypeOfBlob } from "./key-blob.js";

export type KnownHostMarker = "revoked" | "cert-authority";

export type KnownHostNames =
  | { kind: "patterns"; patterns: string[] }
  | { kind: "hashed"; salt: Buffer; hash: Buffer };

export interface KnownHostEntry {
  file: string;
  /** 1-based line number, for messages that send the user to the line. */
  line: number;
  marker?: KnownHostMarker;
  names: KnownHostNames;
  keyType: string;
  key: Buffer;
}

export interface KnownHostsProblem {
  file: string;
  line: number;
  reason: string;
}

const HASH_MAGIC = "|1|";

function parseNames(field: string): KnownHostNames | string {
  if (!field.startsWith(HASH_MAGIC)) return { kind: "patterns", patterns: field.split(",") };
  const [salt, hash] = field.slice(HASH_MAGIC.length).split("|");
  if (salt === undefined || hash === undefined) return "a hashed host name needs |1|salt|hash";
  return { kind: "hashed", salt: Buffer.from(salt, "base64"), hash: Buffer.from(hash, "base64") };
}

function parseMarker(word: string): KnownHostMarker | string {
  if (word === "@revoked") return "revoked";
  if (word === "@cert-authority") return "cert-authority";
  return `unknown marker ${word}`;
}

function parseLine(text: string, file: string, line: number): KnownHostEntry | KnownHostsProblem | undefined {
  const words = text.trim().split(/\s+/);
  if (words[0] === undefined || words[0] === "" || words[0].startsWith("#")) return undefined;
  const problem = (reason: string): KnownHostsProblem => ({ file, line, reason });
  let marker: KnownHostMarker | undefined;
  if (words[0].startsWith("@")) {
    const parsed = parseMarker(words.shift() ?? "");
    if (parsed !== "revoked" && parsed !== "cert-authority") return problem(parsed);
    marker = parsed;
  }
  const [hostField, keyType, keyBase64] = words;
  if (hostField === undefined || keyType === undefined || keyBase64 === undefined) {
    return problem("expected: hosts key-type base64-key");
  }
  const names = parseNames(hostField);
  if (typeof names === "string") return problem(names);
  const key = Buffer.from(keyBase64, "base64");
  // A key whose blob announces another type than the line claims is corrupt, not a key.
  if (keyTypeOfBlob(key) !== keyType) return problem(`the key is not a valid ${keyType} key`);
  return { file, line, ...(marker ? { marker } : {}), names, keyType, key };
}

/** Parses one known_hosts file's text; unreadable lines are reported, never fatal (like ssh). */
export function parseKnownHosts(
  text: string,
  file: string,
): { entries: KnownHostEntry[]; problems: KnownHostsProblem[] } {
  const entries: KnownHostEntry[] = [];
  const problems: KnownHostsProblem[] = [];
  text.split(/\r?\n/).forEach((lineText, index) => {
    const parsed = parseLine(lineText, file, index + 1);
    if (parsed === undefined) return;
    if ("reason" in parsed) problems.push(parsed);
    else entries.push(parsed);
  });
  return { entries, problems };
}

/** The hash OpenSSH stores for a name under HashKnownHosts: HMAC-SHA1 keyed by the salt. */
export function hashHostName(name: string, salt: Buffer): Buffer {
  return createHmac("sha1", salt).update(name).digest();
}

/** True when the entry's host field covers `name` (already in `host` or `[host]:port` form). */
export function entryMatchesHost(entry: KnownHostEntry, name: string): boolean {
  if (entry.names.kind === "patterns") return matchPatternList(name, entry.names.patterns);
  return hashHostName(name, entry.names.salt).equals(entry.names.hash);
}
