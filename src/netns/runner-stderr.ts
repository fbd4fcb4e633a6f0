// The command's stderr goes to the user as it comes, except the runner's own line: the runner
// speaks only before the command starts, so only the first line can be its. Bytes are held back
// just while they could still be that line (they match RUNNER_TAG so far), then flow unchanged.

import { RUNNER_TAG } from "./netns-runner.js";

const TAG = Buffer.from(RUNNER_TAG);
/** A runner line is short; anything longer is the command's. */
const MAX_RUNNER_LINE = 512;

export class RunnerStderr {
  #held: Buffer = Buffer.alloc(0);
  #decided = false;
  #runnerLine: string | undefined;

  constructor(private readonly forward: (chunk: Buffer) => void) {}

  /** The runner's line, once seen (without its newline). */
  get runnerLine(): string | undefined {
    return this.#runnerLine;
  }

  write(chunk: Buffer): void {
    if (this.#decided) {
      if (this.#runnerLine === undefined) this.forward(chunk);
      return;
    }
    this.#held = Buffer.concat([this.#held, chunk]);
    const compared = Math.min(this.#held.length, TAG.length);
    if (!this.#held.subarray(0, compared).equals(TAG.subarray(0, compared))) {
      this.#release();
      return;
    }
    const newline = this.#held.indexOf(0x0a);
    if (newline >= 0 && this.#held.length >= TAG.length) {
      this.#decided = true;
      this.#runnerLine = this.#held.subarray(0, newline).toString("utf8");
      return;
    }
    if (this.#held.length > MAX_RUNNER_LINE) this.#release();
  }

  /** At the end: whatever is still held was the command's after all. */
  end(): void {
    if (!this.#decided) this.#release();
  }

  #release(): void {
    this.#decided = true;
    if (this.#held.length > 0) this.forward(this.#held);
    this.#held = Buffer.alloc(0);
  }
}
