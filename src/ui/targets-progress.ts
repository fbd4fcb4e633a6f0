// Progress of a fan-out capture, on stderr only (stdout may carry the pcapng). On a terminal a
// listr2 task per pod runs through connect -> locate -> start -> listening, then one live line
// counts packets; elsewhere (pipes, CI, --json) one line per pod says when it listens or fails.
// listr2 and ora are loaded only for a terminal (see progress.ts).

import type { Ora } from "ora";
import type { TargetState } from "../capture/capture-many.js";
import { visibleText } from "../capture/printable.js";
import { humanBytes } from "./capture-summary.js";

export interface TargetsProgress {
  /** The pods found at the start, before any is reached. */
  resolved(keys: string[]): void;
  target(key: string, state: TargetState, detail: string): void;
  /** All first targets settled: from here on, one live line. */
  running(): void;
  packets(pods: number, packets: number, bytes: number): void;
  done(): Promise<void>;
}

const STATE_TEXT: Partial<Record<TargetState, string>> = {
  connecting: "connecting to",
  locating: "locating container",
  starting: "starting tcpdump on",
};

export async function createTargetsProgress(options: { quiet: boolean }): Promise<TargetsProgress> {
  const say = (line: string) => process.stderr.write(`podcap: ${line}\n`);
  const lines: TargetsProgress = {
    resolved() {},
    target(key, state, detail) {
      const text = visibleText(detail, 300);
      if (state === "listening") say(`${key}: listening on ${text}`);
      else if (state === "failed" || state === "skipped") say(`${key}: ${state}: ${text}`);
    },
    running() {},
    packets() {},
    async done() {},
  };
  if (process.stderr.isTTY !== true || options.quiet) return lines;
  const [listr2, ora] = await Promise.all([import("listr2"), import("ora")]);
  return new TerminalProgress(listr2, ora.default);
}

type Listr2 = typeof import("listr2");
type MakeOra = typeof import("ora").default;

type Settle = { update(state: TargetState, detail: string): void };

/** listr2 while pods start, then an ora line; pods that join later (--follow) print a line. */
class TerminalProgress implements TargetsProgress {
  private readonly tasks = new Map<string, Settle>();
  private list?: Promise<unknown>;
  private spinner?: Ora;
  private lastDraw = 0;

  constructor(
    private readonly listr2: Listr2,
    private readonly ora: MakeOra,
  ) {}

  resolved(keys: string[]): void {
    const { Listr, ListrLogger, ProcessOutput } = this.listr2;
    const output = new ProcessOutput(process.stderr, process.stderr);
    const listr = new Listr(
      keys.map((key) => ({
        title: key,
        task: (_: unknown, task: { title: string; output: string }) =>
          new Promise<void>((resolve, reject) => {
            this.tasks.set(key, {
              update: (state, detail) => {
                const text = visibleText(detail, 200);
                if (state === "listening") {
                  task.title = `${key}: listening on ${text}`;
                  resolve();
                } else if (state === "failed" || state === "skipped" || state === "ended") {
                  reject(new Error(`${key}: ${state}: ${text}`));
                } else task.output = `${STATE_TEXT[state] ?? state} ${text}`;
              },
            });
          }),
      })),
      {
        concurrent: true,
        exitOnError: false,
        // Ctrl-C is podcap's (stop and flush every stream), not listr2's.
        registerSignalListeners: false,
        rendererOptions: { collapseErrors: false, logger: new ListrLogger({ processOutput: output }) },
      },
    );
    this.list = listr.run().catch(() => undefined);
  }

  target(key: string, state: TargetState, detail: string): void {
    const task = this.tasks.get(key);
    if (task) task.update(state, detail);
    else if (state === "listening" || state === "failed") {
      this.spinner?.clear();
      process.stderr.write(
        `podcap: ${key}: ${state === "listening" ? "joined, listening on" : "failed:"} ${visibleText(detail, 200)}\n`,
      );
    }
    if (state === "listening" || state === "failed" || state === "skipped" || state === "ended")
      this.tasks.delete(key);
  }

  running(): void {
    void this.list?.then(() => {
      this.spinner = this.ora({ stream: process.stderr }).start("capturing (Ctrl-C to stop)");
    });
  }

  packets(pods: number, packets: number, bytes: number): void {
    const now = Date.now();
    if (!this.spinner || now - this.lastDraw < 200) return;
    this.lastDraw = now;
    this.spinner.text = `${pods} pods, ${packets} packets, ${humanBytes(bytes)} (Ctrl-C to stop)`;
  }

  async done(): Promise<void> {
    await this.list;
    this.spinner?.stop();
  }
}
