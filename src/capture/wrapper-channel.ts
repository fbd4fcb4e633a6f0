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

/**
 * The wrapper's stderr read as it arrives, a line at a time: the inspect's tagged lines make its
 * answer, the rest is what the wrapper and tcpdump said. The inspect of a node's pods can be
 * thousands of lines, in as many SSH packets: nothing is read twice.
 */
export class WrapperStderr {
  #partial = "";
  #said = "";
  readonly #out: string[] = [];
  readonly #err: string[] = [];
  /** The inspect's answer, once the wrapper has said done. */
  answer: ExecResult | undefined;

  push(text: string): void {
    const lines = (this.#partial + text).split("\n");
    this.#partial = lines.pop() ?? "";
    for (const line of lines) this.#take(line);
  }

  /** Everything said so far but the inspect's lines, the line still arriving included. */
  get said(): string {
    return this.#partial.startsWith(INSPECT_TAG) ? this.#said : this.#said + this.#partial;
  }

  #take(line: string): void {
    if (!line.startsWith(INSPECT_TAG)) this.#said += `${line}\n`;
    else if (this.answer) return;
    else if (line.startsWith(OUT)) this.#out.push(`${line.slice(OUT.length)}\n`);
    else if (line.startsWith(ERR)) this.#err.push(`${line.slice(ERR.length)}\n`);
    else if (line.startsWith(DONE)) {
      const code = Number(line.slice(DONE.length));
      this.answer = {
        code: Number.isInteger(code) ? code : null,
        stdout: Buffer.from(this.#out.join("")),
        stderr: Buffer.from(this.#err.join("")),
      };
    }
  }
}

/** The inspect's answer in a whole stderr, or undefined while it has not said done. */
export function parseInspectAnswer(stderr: string): ExecResult | undefined {
  const reader = new WrapperStderr();
  reader.push(`${stderr}\n`);
  return reader.answer;
}

export class WrapperChannel {
  readonly #stderr = new WrapperStderr();
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
      this.#stderr.push(text);
      if (this.#stderr.answer) answered(this.#stderr.answer);
      for (const listener of this.#listeners) listener(this.#stderr.said);
    });
  }

  /** Everything said on stderr so far, inspect lines left out. */
  get stderr(): string {
    return this.#stderr.said;
  }

  /** Called with the whole stderr so far now, and again each time more arrives. */
  onStderr(listener: () => void): void {
    this.#listeners.add(listener);
    listener();
  }
}
