// One live SSH session to a node (through its jump hosts). Commands run without a pty so stdout
// and stderr stay apart, which is what lets tcpdump's bytes and its messages never mix.

import type { Client, ClientChannel, PseudoTtyOptions, SFTPWrapper } from "ssh2";
import type { PodcapError } from "../errors.js";
import type { SshTarget } from "../inventory/ssh-target.js";
import { connectionLost, RemoteCommandTimedOut } from "./connect-errors.js";
import { remoteCommandLine } from "./remote-command.js";

export interface ExecOptions {
  /** The command needs root: prefixed with `sudo -n --` when the node's target says sudo. */
  sudo?: boolean;
  /** Written to the command's stdin, which is then closed (it is closed in any case). */
  stdin?: string | Buffer;
  timeoutMs?: number;
}

export interface ExecResult {
  /** Exit status; null when the command died of a signal. */
  code: number | null;
  signal: string | null;
  stdout: Buffer;
  stderr: Buffer;
}

const CLOSE_PATIENCE_MS = 2_000;

/**
 * Drops a connection without waiting for the peer. ssh2's own destroy() does nothing once end()
 * has run (it checks that the socket is still writable), so this reaches its socket.
 */
function destroyTransport(client: Client): void {
  (client as unknown as { _sock?: { destroy(): void } })._sock?.destroy();
}

/**
 * Sends a signal to a channel's remote command (sshd >= 7.9 delivers it to the session's process
 * group). ssh2's channel.signal() silently sends nothing once the channel's stdin is ended, yet
 * a command whose stdin is closed may run for hours: here the request goes out regardless.
 */
export function signalRemote(channel: ClientChannel, signalName: "INT" | "TERM" | "KILL"): void {
  const internal = channel as unknown as {
    _client?: { _protocol?: { signal(id: number, name: string): void } };
    outgoing?: { id: number; state: string };
  };
  // "eof": our side has ended stdin while theirs still runs; ssh2's own check accepts only "open".
  const state = internal.outgoing?.state;
  if (internal.outgoing && (state === "open" || state === "eof"))
    internal._client?._protocol?.signal(internal.outgoing.id, signalName);
}

export type CloseListener = (error?: PodcapError) => void;

export class NodeSession {
  readonly #clients: readonly Client[];
  readonly #listeners = new Set<CloseListener>();
  #closing = false;
  #closed: Promise<void>;
  #lostReason: PodcapError | undefined;

  /** `clients` are outermost jump host first, the node's own connection last. */
  constructor(
    readonly target: SshTarget,
    clients: readonly Client[],
    readonly label: string,
  ) {
    this.#clients = clients;
    let lastError: Error | undefined;
    const closes = clients.map(
      (client) =>
        new Promise<void>((resolve) => {
          client.on("error", (error: Error) => {
            lastError = error;
          });
          client.once("close", () => {
            // Set before ssh2 fails the open channels, so their callers see why.
            if (!this.#closing && this.#lostReason === undefined) {
              this.#lostReason = connectionLost(label, lastError);
            }
            resolve();
          });
        }),
    );
    // Losing any hop loses the node: close the rest and tell everyone once.
    this.#closed = Promise.race(closes).then(async () => {
      this.#endAll();
      await Promise.all(closes);
      for (const listener of this.#listeners) listener(this.#lostReason);
    });
  }

  get isClosed(): boolean {
    return this.#closing || this.#lostReason !== undefined;
  }

  /** Runs a command to its end and returns everything it printed, stdout and stderr apart. */
  async exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const channel = await this.#open(argv, options.sudo);
    return new Promise<ExecResult>((resolve, reject) => {
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let timer: NodeJS.Timeout | undefined;
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          // Best effort: sshd forwards signals (OpenSSH >= 7.9); closing the channel is the backstop.
          channel.signal("KILL");
          channel.close();
          reject(
            new RemoteCommandTimedOut(
              `\`${argv.join(" ")}\` on ${this.label} did not finish within ${options.timeoutMs} ms`,
              "the node may be overloaded or the command stuck; try again or raise the timeout",
            ),
          );
        }, options.timeoutMs);
      }
      channel.on("data", (chunk: Buffer) => stdout.push(chunk));
      channel.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
      channel.on("close", (code?: number | null, signal?: string) => {
        clearTimeout(timer);
        if (code === undefined && this.#lostReason) {
          reject(this.#lostReason);
          return;
        }
        resolve({
          code: code ?? null,
          signal: signal ?? null,
          stdout: Buffer.concat(stdout),
          stderr: Buffer.concat(stderr),
        });
      });
      channel.end(options.stdin);
    });
  }

  /** Starts a long-running command and hands its channel over: stdin, stdout, stderr, `close`. */
  spawn(argv: readonly string[], options: { sudo?: boolean } = {}): Promise<ClientChannel> {
    return this.#open(argv, options.sudo);
  }

  /**
   * Starts a command on a pseudo-terminal, for interactive shells only: there stderr joins
   * stdout, which a person at a terminal expects and a capture must never have.
   */
  spawnPty(
    argv: readonly string[],
    options: { sudo?: boolean; pty: PseudoTtyOptions },
  ): Promise<ClientChannel> {
    return this.#open(argv, options.sudo, options.pty);
  }

  sftp(): Promise<SFTPWrapper> {
    return new Promise((resolve, reject) => {
      this.#nodeClient().sftp((error, sftp) => (error ? reject(this.#failure(error)) : resolve(sftp)));
    });
  }

  /** Called once when the session ends: no argument after close(), the cause when it was lost. */
  onClose(listener: CloseListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Closes the node's connection and every jump host's; resolves when all are closed. */
  async close(): Promise<void> {
    if (this.#lostReason === undefined) this.#closing = true;
    this.#endAll();
    // A polite end waits for the peer; over a dead network that is the whole keepalive delay.
    const patience = new Promise<"late">((resolve) => setTimeout(resolve, CLOSE_PATIENCE_MS, "late").unref());
    if ((await Promise.race([this.#closed, patience])) === "late") {
      for (const client of this.#clients) destroyTransport(client);
      await this.#closed;
    }
  }

  #endAll(): void {
    // Innermost first, so each connection closes cleanly before the one carrying it goes.
    for (const client of [...this.#clients].reverse()) client.end();
  }

  #nodeClient(): Client {
    const client = this.#clients.at(-1);
    if (!client || this.isClosed) throw this.#lostReason ?? connectionLost(this.label);
    return client;
  }

  #failure(error: Error): PodcapError {
    return this.#lostReason ?? connectionLost(this.label, error);
  }

  #open(argv: readonly string[], sudo: boolean | undefined, pty?: PseudoTtyOptions): Promise<ClientChannel> {
    const line = remoteCommandLine(argv, sudo, this.target.sudo);
    return new Promise((resolve, reject) => {
      // No pty unless asked for (spawnPty): with one, stderr would be merged into stdout.
      this.#nodeClient().exec(line, pty ? { pty } : {}, (error, channel) =>
        error ? reject(this.#failure(error)) : resolve(channel),
      );
    });
  }
}
