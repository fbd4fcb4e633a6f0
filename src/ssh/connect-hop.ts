// Opens one authenticated SSH connection: to a jump host or to the node itself, either over TCP
// or over a stream a previous hop forwarded. Host key and authentication are checked here, so
// every hop gets the same treatment.

import type { Duplex } from "node:stream";
import ssh2, { type Client, type ServerHostKeyAlgorithm } from "ssh2";
import type { HopTarget } from "../inventory/ssh-target.js";
import { type AuthInputs, authFailure, authHandler, authMethods } from "./auth-plan.js";
import { type ConnectFailureContext, protocolError, unreachableError } from "./connect-errors.js";
import { type HostKeyEndpoint, hostKeyAlgorithms, hostKeyVerifier } from "./host-key-policy.js";
import { loadIdentities } from "./identities.js";

export interface ConnectTuning {
  insecureAcceptHostKey?: boolean;
  debug?: (line: string) => void;
  /** Where the loud insecure-mode warning goes; stderr unless a UI wants it. */
  warn?: (line: string) => void;
  /** Handshake plus authentication, per hop. */
  readyTimeoutMs?: number;
}

export interface HopConnectRequest extends ConnectTuning {
  hop: HopTarget;
  label: string;
  nodeName: string;
  /** The stream a previous hop forwarded to this one; TCP when absent. */
  sock?: Duplex;
  /** The label of the hop that forwarded `sock`, for messages. */
  via?: string;
}

// A dead peer is noticed after about 15 s: ssh2 closes the connection after 3 unanswered pings.
const KEEPALIVE_INTERVAL_MS = 5_000;
const KEEPALIVE_COUNT_MAX = 3;
const DEFAULT_READY_TIMEOUT_MS = 20_000;
const ALL_METHODS_FAILED = /all configured authentication methods failed/i;

const stderrWarn = (line: string) => {
  process.stderr.write(`${line}\n`);
};

export async function connectHop(request: HopConnectRequest): Promise<Client> {
  const { hop, label } = request;
  const endpoint: HostKeyEndpoint = {
    label,
    nodeName: request.nodeName,
    host: hop.host,
    port: hop.port,
    knownHostsFiles: hop.knownHostsFiles,
    ...(hop.hostKeyAlias ? { hostKeyAlias: hop.hostKeyAlias } : {}),
  };
  const context: ConnectFailureContext = {
    label,
    host: hop.host,
    port: hop.port,
    ...(request.via ? { via: request.via } : {}),
  };
  const auth: AuthInputs = {
    user: hop.user,
    identities: await loadIdentities(hop.identityFiles),
    ...(hop.agent ? { agent: hop.agent } : {}),
  };
  for (const skipped of auth.identities.skipped) {
    request.debug?.(`${label}: identity ${skipped.file} skipped: ${skipped.reason}`);
  }
  const hostKey = hostKeyVerifier(endpoint, {
    warn: request.warn ?? stderrWarn,
    ...(request.insecureAcceptHostKey ? { insecureAcceptHostKey: true } : {}),
    ...(request.debug ? { debug: request.debug } : {}),
  });
  const serverHostKey = await hostKeyAlgorithms(endpoint);
  const client = new ssh2.Client();

  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    let agentProblem: string | undefined;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(error);
    };
    client.on("error", (error: Error & { level?: string }) => {
      // Agent and single-key errors are notes: ssh2 goes on with the next method by itself.
      if (error.level === "agent") {
        agentProblem = error.message;
        request.debug?.(`${label}: agent: ${error.message}`);
        return;
      }
      if (error.level === "client-authentication" && !ALL_METHODS_FAILED.test(error.message)) {
        request.debug?.(`${label}: ${error.message}`);
        return;
      }
      if (settled) return;
      const refusal = hostKey.refusal();
      if (refusal) return fail(refusal);
      if (error.level === "client-authentication") return fail(authFailure(label, auth, agentProblem, error));
      fail(unreachableError(error, context) ?? protocolError(error, context));
    });
    client.on("close", () => {
      const refusal = hostKey.refusal();
      fail(
        refusal ?? protocolError(new Error("the server closed the connection during the handshake"), context),
      );
    });
    client.on("ready", () => {
      settled = true;
      resolve(client);
    });
    request.debug?.(
      `${label}: connecting to ${hop.user}@${hop.host}:${hop.port}${request.via ? ` via ${request.via}` : ""}`,
    );
    client.connect({
      ...(request.sock ? { sock: request.sock } : { host: hop.host, port: hop.port }),
      username: hop.user,
      authHandler: authHandler(authMethods(auth)),
      hostVerifier: hostKey.verifier,
      algorithms: { serverHostKey: serverHostKey as ServerHostKeyAlgorithm[] },
      keepaliveInterval: KEEPALIVE_INTERVAL_MS,
      keepaliveCountMax: KEEPALIVE_COUNT_MAX,
      readyTimeout: request.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
      ...(request.debug ? { debug: (line: string) => request.debug?.(`${label}: ssh2: ${line}`) } : {}),
    });
    // Without it, Nagle holds each small handshake packet until the last one is acknowledged,
    // and the server delays that acknowledgement (~40 ms at the user-auth request). OpenSSH sets
    // it too. A hop's forwarded channel has no such socket option: ssh2 skips it.
    client.setNoDelay(true);
  });
}
