// What every step of the picker is given and must do: ask one question (or a short series),
// and answer with a value or BACK.

import type { PickerAnswers, PickerSettings } from "../picker-answers.js";
import type { PickerCluster } from "../picker-cluster.js";
import type { PromptKit } from "../prompt-kit.js";
import type { Back, StepRule } from "../step-navigation.js";

export interface PickerFacts {
  wiresharkInstalled: boolean;
  /** pcap bytes on a terminal are garbage: stdout is offered only when it goes somewhere else. */
  stdoutIsTerminal: boolean;
  tcpdumpPath?: string;
  now(): Date;
}

export interface PickerKit {
  prompts: PromptKit;
  cluster: PickerCluster;
  facts: PickerFacts;
  /** --context and -n given to `podcap pick`: preselected, still changeable. */
  preselect: { context?: string; namespace?: string };
  settings: PickerSettings;
}

/** Made for one session from its kit (what it may ask, list and know). */
export interface PickerStep extends StepRule<PickerAnswers> {
  ask(
    answers: Partial<PickerAnswers>,
    canGoBack: boolean,
  ): Promise<PickerAnswers[keyof PickerAnswers] | Back>;
}

/** The answers a step may rely on: every earlier step is answered before it is asked. */
export function earlier<K extends keyof PickerAnswers>(
  answers: Partial<PickerAnswers>,
  ...keys: K[]
): Pick<PickerAnswers, K> {
  for (const key of keys) {
    if (answers[key] === undefined) throw new Error(`picker step asked before ${key} was answered`);
  }
  return answers as Pick<PickerAnswers, K>;
}
