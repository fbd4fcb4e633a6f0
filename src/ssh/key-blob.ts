// An SSH public key on the wire is a "blob": string key-type, then type-specific fields
// (RFC 4253 6.6). known_hosts stores the same blob in base64, so comparing blobs compares keys.

import { createHash } from "node:crypto";

/** The key type a blob announces (`ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, ...). */
export function keyTypeOfBlob(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > blob.length) return undefined;
  return blob.toString("latin1", 4, 4 + length);
}

/** The fingerprint exactly as `ssh-keygen -l` and ssh print it: `SHA256:` + unpadded base64. */
export function sha256Fingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/**
 * Host key algorithms that a key of this type can sign with, best first. ssh2 negotiates
 * algorithms, not key types, and an RSA key serves three of them.
 */
export function algorithmsForKeyType(keyType: string): string[] {
  return keyType === "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : [keyType];
}
