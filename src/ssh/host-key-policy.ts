// What podcap does with a host key verdict: StrictHostKeyChecking=yes by default (unknown and
// changed keys refuse, with the fingerprint and the way out), or accept anything, loudly.

import { HostKeyMismatch, HostKeyUnknown, type PodcapError } from "../errors.js";
import { algorithmsForKeyType } from "./key-blob.js";
import {
  type HostKeyVerdict,
  hostKeyName,
  knownKeyTypes,
  loadKnownHosts,
  verifyHostKey,
} from "./known-hosts.js";

export interface HostKeyPolicyOptions {
  insecureAcceptHostKey?: boolean;
  warn: (line: string) => void;
  debug?: (line: string) => void;
}

export interface HostKeyEndpoint {
  /** How messages name the server: `node node-a (root@10.0.0.5:22)` or `jump host 1 (...)`. */
  label: string;
  /** The node this connection is for, so hints can say `podcap trust NODE`. */
  nodeName: string;
  host: string;
  port: number;
  hostKeyAlias?: string;
  knownHostsFiles: string[];
}

/** OpenSSH's usual preference, used after the algorithms of keys already known for the host. */
const DEFAULT_HOST_KEY_ALGORITHMS = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "rsa-sha2-512",
  "rsa-sha2-256",
];

/**
 * Host key algorithms to offer, those of known keys first: like ssh, so that a host known by its
 * RSA key is not reported as changed because the server would rather sign with ed25519.
 */
export async function hostKeyAlgorithms(endpoint: HostKeyEndpoint): Promise<string[]> {
  const { entries } = await loadKnownHosts(endpoint.knownHostsFiles);
  const name = hostKeyName(endpoint.host, endpoint.port, endpoint.hostKeyAlias);
  const preferred = knownKeyTypes(entries, name).flatMap(algorithmsForKeyType);
  return [...new Set([...preferred, ...DEFAULT_HOST_KEY_ALGORITHMS])];
}

export function refusalFor(verdict: HostKeyVerdict, endpoint: HostKeyEndpoint): PodcapError | undefined {
  const name = hostKeyName(endpoint.host, endpoint.port, endpoint.hostKeyAlias);
  const where = `${verdict.file}:${verdict.line}`;
  switch (verdict.status) {
    case "ok":
      return undefined;
    case "unknown": {
      const file = endpoint.knownHostsFiles[0] ?? "~/.ssh/known_hosts";
      const portFlag = endpoint.port === 22 ? "" : `-p ${endpoint.port} `;
      return new HostKeyUnknown(
        `the host key of ${endpoint.label} is not in known_hosts: ${verdict.keyType} ${verdict.fingerprint}`,
        `check that fingerprint with the node's admin, then run \`podcap trust ${endpoint.nodeName}\`` +
          ` or \`ssh-keyscan ${portFlag}${endpoint.host} >> ${file}\``,
      );
    }
    case "mismatch":
      return new HostKeyMismatch(
        `the host key of ${endpoint.label} changed: the server sent ${verdict.keyType} ${verdict.fingerprint}, ${where} holds another key`,
        `the key changed: check with the node's admin, then remove the old line with \`ssh-keygen -R '${name}' -f ${verdict.file}\``,
      );
    case "revoked":
      return new HostKeyMismatch(
        `the host key of ${endpoint.label} (${verdict.fingerprint}) is marked @revoked at ${where}`,
        "a revoked key is never accepted: tell the node's admin",
      );
  }
}

/**
 * An ssh2 `hostVerifier` for one endpoint, plus the refusal it decided on, which the caller
 * reports instead of ssh2's bare "Host denied (verification failed)".
 */
export function hostKeyVerifier(endpoint: HostKeyEndpoint, options: HostKeyPolicyOptions) {
  let refusal: PodcapError | undefined;
  const name = hostKeyName(endpoint.host, endpoint.port, endpoint.hostKeyAlias);
  const verifier = (key: Buffer, verify: (accept: boolean) => void): void => {
    verifyHostKey(endpoint.knownHostsFiles, name, key).then(
      (verdict) => {
        for (const problem of verdict.problems) {
          options.debug?.(`known_hosts ${problem.file}:${problem.line} skipped: ${problem.reason}`);
        }
        if (verdict.ignoredCertAuthorities > 0) {
          options.debug?.(`${name}: @cert-authority lines ignored, podcap checks plain host keys only`);
        }
        options.debug?.(`host key of ${endpoint.label} (${name}): ${verdict.status} ${verdict.fingerprint}`);
        const problem = refusalFor(verdict, endpoint);
        if (problem && options.insecureAcceptHostKey) {
          options.warn(
            `WARNING: --insecure-accept-host-key: accepting the ${verdict.status} host key ${verdict.fingerprint} ` +
              `of ${endpoint.label} WITHOUT CHECKING IT. Anyone on the path can read and change this session.`,
          );
          verify(true);
          return;
        }
        refusal = problem;
        verify(problem === undefined);
      },
      (error: unknown) => {
        refusal = new HostKeyUnknown(
          `cannot read known_hosts for ${endpoint.label}: ${(error as Error).message}`,
          `check the files ${endpoint.knownHostsFiles.join(", ")}`,
          { cause: error },
        );
        verify(false);
      },
    );
  };
  return { verifier, refusal: () => refusal };
}
