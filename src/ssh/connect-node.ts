// Reaches a node the way `ssh -J jump1,jump2 node` does: connect to the first jump host, ask it
// to forward a TCP stream to the next hop, run SSH over that stream, and so on. Every hop has
// its own host key check and authentication.

import type { Duplex } from "node:stream";
import type { Client } from "ssh2";
import type { HopTarget, SshTarget } from "../inventory/ssh-target.js";
import { unreachableError } from "./connect-errors.js";
import { type ConnectTuning, connectHop } from "./connect-hop.js";
import { NodeSession } from "./node-session.js";

export type ConnectOptions = ConnectTuning;

function hopAddress(hop: HopTarget): string {
  return `${hop.user}@${hop.host}:${hop.port}`;
}

/** Names each hop in messages: which jump host, or which node. */
export function hopLabels(target: SshTarget): string[] {
  const count = target.jump.length;
  return [
    ...target.jump.map((hop, index) => `jump host ${index + 1}/${count} (${hopAddress(hop)})`),
    `node ${target.nodeName} (${hopAddress(target)})`,
  ];
}

function forwardTo(client: Client, hop: HopTarget, labels: { hop: string; via: string }): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    // The source address is informational for the jump host's sshd; ssh sends the same.
    client.forwardOut("127.0.0.1", 0, hop.host, hop.port, (error, stream) => {
      if (!error) return resolve(stream);
      const context = { label: labels.hop, host: hop.host, port: hop.port, via: labels.via };
      reject(unreachableError(error, context) ?? error);
    });
  });
}

export async function connectNode(target: SshTarget, options: ConnectOptions = {}): Promise<NodeSession> {
  const hops: HopTarget[] = [...target.jump, target];
  const labels = hopLabels(target);
  const clients: Client[] = [];
  try {
    for (const [index, hop] of hops.entries()) {
      const label = labels[index] ?? hopAddress(hop);
      const previous = clients.at(-1);
      const via = index > 0 ? labels[index - 1] : undefined;
      const sock = previous && via ? await forwardTo(previous, hop, { hop: label, via }) : undefined;
      clients.push(
        await connectHop({
          ...options,
          hop,
          label,
          nodeName: target.nodeName,
          ...(sock ? { sock } : {}),
          ...(via ? { via } : {}),
        }),
      );
    }
  } catch (error) {
    for (const client of clients.reverse()) client.end();
    throw error;
  }
  return new NodeSession(target, clients, labels.at(-1) ?? target.nodeName);
}
