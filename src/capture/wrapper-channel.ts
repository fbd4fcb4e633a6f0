// The wrapper's channel from the moment it opens: everything it says on stderr and its exit
// status are kept from the first byte, because the wrapper talks before the capture exists. It
// runs the runtime's inspect itself (one exec per pod instead of two: the node's login shell, often
// the slowest part of an exec, starts once) and reports the answer on stderr as tagged lines.

import type { ClientChannel } from "ssh2";
import type { ExecResult } from "../runtime/locate.js";
import { INSPECT_TAG } from "./remote-wrapper.js";

const OUT = `${INSPECT_TAG}out `;
const ERR = `${INSPECT_TAG}err `;
const DONE = `${INSPECT_TAG}done `;

/** The inspect's answer from the wrapper's stderr, or undefined while it has not said done. */
export function parseInspectAnswer(stderr: string): ExecResult | undefined {
  const lines = stderr.split("\n");
  const done = lines.find((line) => line.startsWith(DONE));
  if (done === undefined) return undefined;
  const taken = (prefix: string) =>
    lines.filter((line) => line.startsWith(prefix)).map((line) => `${line.slice(prefix.length)}\n`);
  const code = Number(done.slice(DONE.length));
  return {
    code: Number.isInteger(code) ? code : null,
    stdout: Buffer.from(taken(OUT).join("")),
    stderr: Buffer.from(taken(ERR).join("")),
  };
}

export class WrapperChannel {
  #stderr = "";
  readonly #listeners = new Set<(text: string) => void>();
  /** The wrapper's exit status; undefined when the channel closed without one. */
  readonly exited: Promise<number | undefined>;
  readonly closed: Promise<void>;
  /** The runtime's answer about the container, or undefined if the wrapper ended first. */
  readonly inspected: Promise<ExecResult | undefined>;

  constructor(readonly channel: ClientChannel) {
    channel.stderr.setEncoding("utf8");
    this.exited = new Promise((resolve) => {
      channel.on("exit", (code: number | null) => resolve(code ?? undefined));
      channel.on("close", () => resolve(undefined));
    });
    this.closed = new Promise((resolve) => channel.on("close", () => resolve()));
    let answered: (answer: ExecResult | undefined) => void = () => {};
    this.inspected = new Promise((resolve) => {
      answered = resolve;
    });
    this.closed.then(() => answered(undefined));
    channel.stderr.on("data", (text: string) => {
      this.#stderr += text;
      const answer = parseInspectAnswer(this.#stderr);
      if (answer) answered(answer);
      for (const listener of this.#listeners) listener(this.#stderr);
    });
  }

  /** Everything said on stderr so far, inspect lines left out. */
  get stderr(): string {
    return this.#stderr
      .split("\n")
      .filter((line) => !line.startsWith(INSPECT_TAG))
      .join("\n");
  }

  /** Called with the whole stderr so far now, and again each time more arrives. */
  onStderr(listener: () => void): void {
    this.#listeners.add(listener);
    listener();
  }
}
