// Host keys shown the way OpenSSH shows them, so a fingerprint podcap prints can be compared at a
// glance with `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the node or ssh's own prompt.

const OPENSSH_TYPE_NAMES: Record<string, string> = {
  "ssh-ed25519": "ED25519",
  "ecdsa-sha2-nistp256": "ECDSA",
  "ecdsa-sha2-nistp384": "ECDSA",
  "ecdsa-sha2-nistp521": "ECDSA",
  "ssh-rsa": "RSA",
  "ssh-dss": "DSA",
  "sk-ssh-ed25519@openssh.com": "ED25519-SK",
  "sk-ecdsa-sha2-nistp256@openssh.com": "ECDSA-SK",
};

/** `ssh-ed25519` -> `ED25519`, as in "ED25519 key fingerprint is SHA256:...". */
export function openSshKeyTypeName(keyType: string): string {
  return OPENSSH_TYPE_NAMES[keyType] ?? keyType;
}

/** ssh's line: `ED25519 key fingerprint is SHA256:...`. */
export function fingerprintLine(keyType: string, fingerprint: string): string {
  return `${openSshKeyTypeName(keyType)} key fingerprint is ${fingerprint}.`;
}
