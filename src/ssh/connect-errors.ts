// ssh2 and the socket report failures as bare Errors with a `code` or a `level`; the user gets
// one typed error that names the hop, host and port, with a hint.

import { ExitCode, NodeUnreachable, PodcapError } from "../errors.js";

interface Ssh2Error extends Error {
  code?: string;
  level?: string;
  reason?: number;
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused (is sshd listening on that port?)",
  EHOSTUNREACH: "no route to host",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "host name lookup failed for now",
  ECONNRESET: "connection reset by the server",
};

export interface ConnectFailureContext {
  /** `node node-a (root@10.0.0.5:22)` or `jump host 1/2 (...)`: it already holds host:port. */
  label: string;
  host: string;
  port: number;
  /** Set when the TCP connection was opened by a jump host rather than from here. */
  via?: string;
}

/** The NodeUnreachable for a connection failure, or undefined when it is not about reachability. */
export function unreachableError(
  error: unknown,
  context: ConnectFailureContext,
): NodeUnreachable | undefined {
  const err = error as Ssh2Error;
  const where = `${context.host}:${context.port}`;
  const from = context.via ? ` from ${context.via}` : "";
  const hint = context.via
    ? `check that ${context.via} can reach ${where} (ssh to it and try \`nc -zv ${context.host} ${context.port}\`)`
    : `check the address and port in the inventory or ~/.ssh/config, and that ${where} is reachable from here`;
  const networkReason = err.code ? NETWORK_REASONS[err.code] : undefined;
  if (networkReason) {
    return new NodeUnreachable(`cannot reach ${context.label}${from}: ${networkReason}`, hint, {
      cause: error,
    });
  }
  if (err.level === "client-timeout" || err.level === "client-dns" || err.level === "client-socket") {
    return new NodeUnreachable(`cannot reach ${context.label}${from}: ${err.message}`, hint, {
      cause: error,
    });
  }
  // forwardOut on a jump host fails with a channel open failure carrying the reason.
  if (context.via && /channel open failure/i.test(err.message)) {
    return new NodeUnreachable(`${context.via} cannot open a connection to ${where}: ${err.message}`, hint, {
      cause: error,
    });
  }
  return undefined;
}

/** Whatever is left: an SSH protocol failure, still tied to the hop it happened on. */
export function protocolError(error: unknown, context: ConnectFailureContext): NodeUnreachable {
  return new NodeUnreachable(
    `SSH with ${context.label} at ${context.host}:${context.port} failed: ${(error as Error).message}`,
    "run with --debug to see the SSH exchange",
    { cause: error },
  );
}

/** A remote command that outlived its timeout; the session itself may still be fine. */
export class RemoteCommandTimedOut extends PodcapError {
  constructor(message: string, hint: string, options?: { cause?: unknown }) {
    super(message, hint, ExitCode.unreachable, options);
  }
}

/** The session died under a command: the node went away or the connection was cut. */
export function connectionLost(label: string, cause?: unknown): NodeUnreachable {
  return new NodeUnreachable(
    `the SSH connection to ${label} closed${cause instanceof Error ? `: ${cause.message}` : ""}`,
    "the node, the network or sshd went away; run the command again",
    { cause },
  );
}
