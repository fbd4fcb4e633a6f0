// The prompts every step uses: @inquirer/prompts drawn on stderr (stdout may carry the pcap),
// with Esc as "back" everywhere and said so under each question, and Ctrl-C as Interrupted
// (exit 130): no step has started anything on a node before the last answer.

import { styleText } from "node:util";
import { input, Separator, search, select } from "@inquirer/prompts";
import { Interrupted } from "../../errors.js";
import type { ListChoice } from "./pod-choices.js";
import { BACK, type Back } from "./step-navigation.js";

export { Separator };
export type Entry<Value> = ListChoice<Value> | Separator;

/** The entry that goes back, at the end of every list, for those who do not think of Esc. */
export const BACK_ENTRY: ListChoice<Back> = { value: BACK, name: "← back", short: "back" };

/** The keys under every list; Esc is left out where there is nothing to go back to. */
const themeFor = (withBack: boolean) => ({
  style: {
    keysHelpTip: (keys: [string, string][]) =>
      [...keys, ...(withBack ? [["esc", "back"]] : []), ["ctrl+c", "quit"]]
        .map(([key, action]) => `${key} ${action}`)
        .join(" • "),
  },
});

export interface SelectQuestion<Value> {
  message: string;
  choices: readonly Entry<Value>[];
  default?: Value;
  /** false on the first step, where there is nothing to go back to. */
  withBack?: boolean;
}

export interface SearchQuestion<Value> {
  message: string;
  source(term: string | undefined): Promise<readonly Entry<Value>[]> | readonly Entry<Value>[];
  default?: Value;
}

export interface InputQuestion {
  message: string;
  default?: string;
  validate?(text: string): Promise<string | true> | string | true;
}

export interface PromptKit {
  /** What was answered so far, shown beside each question (answered questions are cleared away). */
  showTrail(trail: string): void;
  select<Value>(question: SelectQuestion<Value>): Promise<Value | Back>;
  search<Value>(question: SearchQuestion<Value>): Promise<Value | Back>;
  input(question: InputQuestion): Promise<string | Back>;
}

// Answered questions are cleared: going back and forth would otherwise leave a transcript of
// answers no longer true. The trail beside the next question says what holds.
type Context = { signal: AbortSignal; output: NodeJS.WritableStream; clearPromptOnDone: boolean };

/** Runs one prompt; Esc aborts it (-> BACK), Ctrl-C ends the picker (-> Interrupted). */
async function ask<Value>(run: (context: Context) => Promise<Value>): Promise<Value | Back> {
  const escapePressed = new AbortController();
  const onKey = (_text: string, key?: { name?: string }) => {
    if (key?.name === "escape") escapePressed.abort();
  };
  process.stdin.on("keypress", onKey);
  try {
    return await run({ signal: escapePressed.signal, output: process.stderr, clearPromptOnDone: true });
  } catch (error) {
    const name = (error as Error | undefined)?.name;
    if (name === "AbortPromptError") return BACK;
    if (name === "ExitPromptError") {
      throw new Interrupted(
        "interrupted at a question: nothing was started on any node",
        "run podcap again to pick a pod, or podcap capture POD to skip the questions",
      );
    }
    throw error;
  } finally {
    process.stdin.off("keypress", onKey);
  }
}

export class TerminalPrompts implements PromptKit {
  private trail = "";

  showTrail(trail: string): void {
    this.trail = trail;
  }

  private message(text: string): string {
    return this.trail === "" ? text : `${styleText("dim", `${this.trail} ›`)} ${text}`;
  }

  select<Value>(question: SelectQuestion<Value>): Promise<Value | Back> {
    const withBack = question.withBack !== false;
    return ask<Value | Back>((context) =>
      select<Value | Back>(
        {
          message: this.message(question.message),
          choices: withBack ? [...question.choices, BACK_ENTRY] : question.choices,
          default: question.default,
          pageSize: 15,
          theme: themeFor(withBack),
        },
        context,
      ),
    );
  }

  search<Value>(question: SearchQuestion<Value>): Promise<Value | Back> {
    return ask<Value | Back>((context) =>
      search<Value | Back>(
        {
          message: this.message(question.message),
          source: async (term) => [...(await question.source(term)), BACK_ENTRY],
          default: question.default,
          pageSize: 15,
          theme: themeFor(true),
        },
        context,
      ),
    );
  }

  input(question: InputQuestion): Promise<string | Back> {
    return ask((context) =>
      input(
        {
          message: this.message(`${question.message} (Esc: back)`),
          default: question.default,
          validate: question.validate,
        },
        context,
      ),
    );
  }
}
