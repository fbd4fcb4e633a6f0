// Connects just far enough to see a server's host key: the key exchange, then the connection is
// dropped before authentication. `podcap trust` shows that key; nothing is trusted by seeing it.

import type { Duplex } from "node:stream";
import ssh2, { type Client, type ServerHostKeyAlgorithm } from "ssh2";
import type { HopTarget } from "../inventory/ssh-target.js";
import { type ConnectFailureContext, protocolError, unreachableError } from "./connect-errors.js";
import { hostKeyAlgorithms } from "./host-key-policy.js";

export interface ProbeRequest {
  hop: HopTarget;
  label: string;
  nodeName: string;
  /** The stream a jump host forwarded to this hop; TCP when absent. */
  sock?: Duplex;
  via?: string;
  readyTimeoutMs?: number;
  debug?: (line: string) => void;
}

const DEFAULT_READY_TIMEOUT_MS = 20_000;

/** The host key blob the server presents, with the algorithms a real connection would offer. */
export async function probeHostKey(request: ProbeRequest): Promise<Buffer> {
  const { hop, label } = request;
  const serverHostKey = await hostKeyAlgorithms({ label, nodeName: request.nodeName, ...hop });
  const context: ConnectFailureContext = { label, ...hop, ...(request.via ? { via: request.via } : {}) };
  const client = new ssh2.Client();
  return new Promise<Buffer>((resolve, reject) => {
    let key: Buffer | undefined;
    let settled = false;
    // Refusing the key makes ssh2 report "verification failed" and close: the expected end.
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      client.end();
      if (key) resolve(key);
      else
        reject(
          error
            ? (unreachableError(error, context) ?? protocolError(error, context))
            : protocolError(
                new Error("the server closed the connection before showing its host key"),
                context,
              ),
        );
    };
    client.on("error", (error: Error) => finish(error));
    client.on("close", () => finish());
    client.on("ready", () => finish());
    request.debug?.(`${label}: fetching the host key of ${hop.host}:${hop.port}`);
    client.connect({
      ...(request.sock ? { sock: request.sock } : { host: hop.host, port: hop.port }),
      username: hop.user,
      hostVerifier: (blob: Buffer) => {
        key = Buffer.from(blob);
        return false;
      },
      algorithms: { serverHostKey: serverHostKey as ServerHostKeyAlgorithm[] },
      readyTimeout: request.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
    });
  });
}

/** A TCP stream from `client`'s server to the next hop, as ProxyJump opens it. */
export function forwardStream(
  client: Client,
  hop: HopTarget,
  labels: { hop: string; via: string },
): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut("127.0.0.1", 0, hop.host, hop.port, (error, stream) => {
      if (!error) return resolve(stream);
      const context = { label: labels.hop, host: hop.host, port: hop.port, via: labels.via };
      reject(unreachableError(error, context) ?? error);
    });
  });
}
