// Progress of a picked capture on a terminal: listr2 shows the stages as they run (resolve,
// connect, locate the PID, start tcpdump), then one live line of packets, bytes, rate and
// elapsed time, redrawn in place a few times a second (drawn by hand: an ora spinner started
// right after listr2 stopped drew nothing here). Off a terminal it is the plain progress.

import { Listr, ListrLogger, ProcessOutput } from "listr2";
import { printableText } from "../../capture/printable.js";
import { createProgress, type Progress } from "../progress.js";
import { type CountSample, liveLine, RATE_WINDOW_MS } from "./live-line.js";

const STAGES = [
  { stage: "resolve", title: "resolve the pod" },
  { stage: "reach", title: "connect to the node" },
  { stage: "locate", title: "locate the container's process" },
  { stage: "start", title: "start tcpdump" },
] as const;

const REDRAW_MS = 250;
/** Back to the start of the line and erase it: the live line is redrawn in place. */
const CLEAR_LINE = "\r\x1b[2K";

/** One listr task, settled from outside: the pipeline reports stages, listr only draws them. */
class StageTask {
  title: string;
  private draw?: (title: string) => void;
  private settle?: (error?: Error) => void;
  private outcome?: { error?: Error };

  constructor(title: string) {
    this.title = title;
  }

  run(task: { title: string }): Promise<void> {
    task.title = this.title;
    this.draw = (title) => {
      task.title = title;
    };
    return new Promise<void>((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve());
      if (this.outcome) this.settle(this.outcome.error);
    });
  }

  retitle(title: string): void {
    this.title = title;
    this.draw?.(title);
  }

  end(error?: Error): void {
    if (this.outcome) return;
    this.outcome = { error };
    this.settle?.(error);
  }
}

export async function createStageListProgress(options: {
  quiet: boolean;
  debug: boolean;
}): Promise<Progress> {
  if (process.stderr.isTTY !== true || options.quiet) return createProgress(options);
  return new StageListProgress(options.debug);
}

class StageListProgress implements Progress {
  private readonly tasks = STAGES.map(({ title }) => new StageTask(title));
  private current = 0;
  private readonly list: Promise<unknown>;
  private live = false;
  private timer?: NodeJS.Timeout;
  private samples: CountSample[] = [];
  private listeningSince = 0;
  private finished = false;

  constructor(private readonly showDebug: boolean) {
    const listr = new Listr(
      this.tasks.map((stage) => ({
        title: stage.title,
        task: (_: unknown, task: { title: string }) => stage.run(task),
      })),
      {
        // Ctrl-C belongs to the capture (stop and flush), not to the task list.
        registerSignalListeners: false,
        rendererOptions: {
          showErrorMessage: false,
          logger: new ListrLogger({ processOutput: new ProcessOutput(process.stderr, process.stderr) }),
        },
      },
    );
    this.list = listr.run().catch(() => undefined);
  }

  stage(stage: string, detail: string): void {
    const index = STAGES.findIndex((s) => s.stage === stage);
    if (index < 0) return;
    this.advanceTo(index);
    this.tasks[index]?.retitle(`${STAGES[index]?.title}: ${printableText(detail, 120)}`);
  }

  ready(text: string): void {
    this.advanceTo(STAGES.length - 1);
    this.tasks[STAGES.length - 1]?.retitle(printableText(text, 300));
    this.advanceTo(STAGES.length);
    this.listeningSince = Date.now();
    void this.list.then(() => {
      if (this.finished) return;
      this.live = true;
      this.redraw();
      this.timer = setInterval(() => this.redraw(), REDRAW_MS);
    });
  }

  packets(packets: number, bytes: number): void {
    const at = Date.now();
    this.samples.push({ at, packets, bytes });
    // One sample older than the window stays, so the rate spans the whole window.
    while (this.samples.length > 2 && at - (this.samples[1] as CountSample).at > RATE_WINDOW_MS)
      this.samples.shift();
  }

  debug(line: string): void {
    if (!this.showDebug) return;
    if (this.live) process.stderr.write(CLEAR_LINE);
    process.stderr.write(`podcap: ${line}\n`);
  }

  /** Resolves once listr2 has drawn its last frame, so a line written after it stays below. */
  async done(): Promise<void> {
    this.advanceTo(STAGES.length);
    this.stop();
    await this.list;
  }

  async fail(): Promise<void> {
    this.tasks[this.current]?.end(new Error("failed"));
    this.stop();
    await this.list;
  }

  /** The counts as they stand now, so the rate falls when packets stop coming. */
  private redraw(): void {
    const last = this.samples[this.samples.length - 1] ?? { packets: 0, bytes: 0 };
    const text = liveLine([...this.samples, { ...last, at: Date.now() }], this.listeningSince);
    // Cut to the terminal's width: a wrapped line could not be redrawn in place.
    process.stderr.write(`${CLEAR_LINE}${text.slice(0, (process.stderr.columns ?? 80) - 1)}`);
  }

  /** Every stage before `index` is done: the pipeline only moves forwards. */
  private advanceTo(index: number): void {
    while (this.current < index) {
      this.tasks[this.current]?.end();
      this.current += 1;
    }
  }

  private stop(): void {
    this.finished = true;
    clearInterval(this.timer);
    if (this.live) process.stderr.write(CLEAR_LINE);
    this.live = false;
  }
}
