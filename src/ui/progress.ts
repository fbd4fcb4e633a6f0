// Progress on stderr, never on stdout (which may carry the pcap). On a terminal: a spinner
// through the stages, then one live line of packets and bytes. Elsewhere: the ready line only,
// so logs stay short. --json drops the spinner; the ready line stays, on stderr, for scripts too.
// ora is loaded only for a terminal: with it come string-width's Intl.Segmenter and the rest of
// the terminal libraries, some 50 ms of a start that a capture into a file or pipe does not need.

import type { Ora } from "ora";
import { humanBytes } from "./capture-summary.js";

export interface Progress {
  stage(stage: string, detail: string): void;
  ready(text: string): void;
  packets(packets: number, bytes: number): void;
  debug(line: string): void;
  /** May wait for a renderer to finish drawing before the summary is written. */
  done(): void | Promise<void>;
  fail(): void | Promise<void>;
}

const STAGE_TEXT: Record<string, string> = {
  resolve: "resolving pod",
  reach: "connecting to node",
  locate: "locating container",
  start: "starting tcpdump on",
};

export async function createProgress(options: { quiet: boolean; debug: boolean }): Promise<Progress> {
  const tty = process.stderr.isTTY === true && !options.quiet;
  const spinner: Ora | undefined = tty
    ? (await import("ora")).default({ stream: process.stderr })
    : undefined;
  let lastDraw = 0;
  const say = (line: string) => process.stderr.write(`${line}\n`);
  return {
    stage(stage, detail) {
      const text = `${STAGE_TEXT[stage] ?? stage} ${detail}`;
      if (spinner) spinner.start(text);
      else if (options.debug) say(`podcap: ${text}`);
    },
    ready(text) {
      if (spinner) spinner.succeed(text).start("0 packets");
      else say(`podcap: ${text}`);
    },
    packets(packets, bytes) {
      const now = Date.now();
      if (!spinner || now - lastDraw < 200) return;
      lastDraw = now;
      spinner.text = `${packets} packets, ${humanBytes(bytes)} (Ctrl-C to stop)`;
    },
    debug(line) {
      if (options.debug) {
        spinner?.clear();
        process.stderr.write(`podcap: ${line}\n`);
      }
    },
    done() {
      spinner?.stop();
    },
    fail() {
      spinner?.stop();
    },
  };
}
