// One SSH session per node for the whole run: every command of a capture (inspect, start,
// stop, sweep) reuses it, and callers that ask at the same time share one pending connect.

import type { NodeSession } from "./node-session.js";

export type SessionFactory = (nodeName: string) => Promise<NodeSession>;

export class SessionPool {
  readonly #sessions = new Map<string, Promise<NodeSession>>();

  constructor(private readonly connect: SessionFactory) {}

  /** The node's session, connecting on first use; a failed or closed one is made anew. */
  async get(nodeName: string): Promise<NodeSession> {
    const existing = this.#sessions.get(nodeName);
    if (!existing) return this.#start(nodeName);
    const session = await existing;
    if (!session.isClosed) return session;
    // Several callers may notice the same dead session: only the first starts a new connect.
    this.#forget(nodeName, existing);
    return this.#sessions.get(nodeName) ?? this.#start(nodeName);
  }

  /** Closes every session; failures to connect that are still pending are ignored. */
  async closeAll(): Promise<void> {
    const pending = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(pending.map((session) => session.then((s) => s.close()).catch(() => undefined)));
  }

  #start(nodeName: string): Promise<NodeSession> {
    const session = this.connect(nodeName);
    this.#sessions.set(nodeName, session);
    // A failed connect must not be handed out again: the next caller retries.
    session.then(
      (connected) => connected.onClose(() => this.#forget(nodeName, session)),
      () => this.#forget(nodeName, session),
    );
    return session;
  }

  #forget(nodeName: string, session: Promise<NodeSession>): void {
    if (this.#sessions.get(nodeName) === session) this.#sessions.delete(nodeName);
  }
}
