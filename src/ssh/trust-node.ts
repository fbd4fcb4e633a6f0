// `podcap trust`'s walk along the path to a node: each hop's host key is fetched, checked against
// that hop's known_hosts, and an unknown one recorded only once the user says yes. Jump hosts come
// first, because the node can only be reached through them: a jump host is trusted (or found
// trusted) and logged into before the next hop's key can even be seen. A changed key is never
// replaced here: the user removes the old line with ssh-keygen -R, knowingly.

import type { Client } from "ssh2";
import { ConfigInvalid, HostKeyUnknown } from "../errors.js";
import type { HopTarget, SshTarget } from "../inventory/ssh-target.js";
import { connectHop } from "./connect-hop.js";
import { hopLabels } from "./connect-node.js";
import { refusalFor } from "./host-key-policy.js";
import { appendKnownHost, hostKeyName, verifyHostKey } from "./known-hosts.js";
import { forwardStream, probeHostKey } from "./probe-host-key.js";

export interface SeenHostKey {
  /** `jump host 1/2 (...)` or `node NAME (...)`. */
  label: string;
  /** The name the key is recorded under: host, `[host]:port` or the HostKeyAlias. */
  name: string;
  keyType: string;
  fingerprint: string;
  /** Where a yes writes it. */
  file: string;
}

export interface HopTrust extends SeenHostKey {
  status: "already-trusted" | "recorded";
  /** For already-trusted: the line that trusts it. */
  line?: number;
}

export interface TrustOptions {
  /** Asked for each unknown key only; true records it. */
  confirm(seen: SeenHostKey): Promise<boolean>;
  /** Told each hop's outcome as soon as it is settled. */
  report(trust: HopTrust): void;
  hashKnownHosts?: boolean;
  readyTimeoutMs?: number;
  debug?: (line: string) => void;
}

async function settleHop(
  hop: HopTarget,
  label: string,
  nodeName: string,
  key: Buffer,
  options: TrustOptions,
): Promise<HopTrust> {
  const name = hostKeyName(hop.host, hop.port, hop.hostKeyAlias);
  const file = hop.knownHostsFiles[0];
  if (file === undefined) {
    throw new ConfigInvalid(`no known_hosts file for ${label}`, "name one with knownHosts in the inventory");
  }
  const verdict = await verifyHostKey(hop.knownHostsFiles, name, key);
  for (const problem of verdict.problems) {
    options.debug?.(`known_hosts ${problem.file}:${problem.line} skipped: ${problem.reason}`);
  }
  const seen: SeenHostKey = {
    label,
    name,
    keyType: verdict.keyType,
    fingerprint: verdict.fingerprint,
    file,
  };
  if (verdict.status === "ok") {
    const trusted: HopTrust = { ...seen, status: "already-trusted", file: verdict.file ?? file };
    return verdict.line === undefined ? trusted : { ...trusted, line: verdict.line };
  }
  if (verdict.status === "mismatch" || verdict.status === "revoked") {
    // The same refusal a capture gives: the fingerprint, the line, and `ssh-keygen -R`.
    const refusal = refusalFor(verdict, { label, nodeName, ...hop });
    if (refusal) throw refusal;
  }
  if (!(await options.confirm(seen))) {
    throw new HostKeyUnknown(
      `the host key of ${label} was not trusted: nothing was written`,
      "check the fingerprint with the node's admin, then run podcap trust again",
    );
  }
  await appendKnownHost(file, name, key, { hashed: options.hashKnownHosts ?? false });
  return { ...seen, status: "recorded" } satisfies HopTrust;
}

/** Walks the jump hosts, then the node; resolves to each hop's outcome, outermost first. */
export async function trustNode(target: SshTarget, options: TrustOptions): Promise<HopTrust[]> {
  const hops: HopTarget[] = [...target.jump, target];
  const labels = hopLabels(target);
  const clients: Client[] = [];
  const outcomes: HopTrust[] = [];
  const tuning = {
    ...(options.readyTimeoutMs ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
    ...(options.debug ? { debug: options.debug } : {}),
  };
  try {
    for (const [index, hop] of hops.entries()) {
      const label = labels[index] ?? `${hop.host}:${hop.port}`;
      const previous = clients.at(-1);
      const via = index > 0 ? labels[index - 1] : undefined;
      const stream = () => (previous && via ? forwardStream(previous, hop, { hop: label, via }) : undefined);
      const probeSock = await stream();
      const key = await probeHostKey({
        hop,
        label,
        nodeName: target.nodeName,
        ...tuning,
        ...(probeSock ? { sock: probeSock } : {}),
        ...(via ? { via } : {}),
      });
      const outcome = await settleHop(hop, label, target.nodeName, key, options);
      outcomes.push(outcome);
      options.report(outcome);
      if (index === hops.length - 1) break;
      // The next hop is only reachable through this one: log in, now that its key is trusted.
      const sock = await stream();
      clients.push(
        await connectHop({
          hop,
          label,
          nodeName: target.nodeName,
          ...tuning,
          ...(sock ? { sock } : {}),
          ...(via ? { via } : {}),
        }),
      );
    }
  } finally {
    for (const client of clients.reverse()) client.end();
  }
  return outcomes;
}
