// When the capture ends: at Ctrl-C, after a duration, or after a number of packets. The values
// are checked with the parsers `podcap capture` uses for -d and --count.

import { parseDuration } from "../../../capture/parse-duration.js";
import { wholeNumber } from "../../../cli/capture-options.js";
import type { StopAnswer } from "../picker-answers.js";
import type { InputQuestion } from "../prompt-kit.js";
import { BACK } from "../step-navigation.js";
import type { PickerKit, PickerStep } from "./picker-step.js";

const STOPS = [
  { value: "interrupt", name: "when I press Ctrl-C" },
  { value: "duration", name: "after a while (30s, 5m, 1h)…" },
  { value: "count", name: "after a number of packets…" },
] as const;

export function stopStep(kit: PickerKit): PickerStep {
  return {
    key: "stop",
    ask: async (answers) => {
      const previous = answers.stop;
      let preselected = previous?.kind ?? "interrupt";
      for (;;) {
        const kind = await kit.prompts.select<StopAnswer["kind"]>({
          message: "Stop",
          choices: STOPS,
          default: preselected,
        });
        if (kind === BACK) return BACK;
        preselected = kind;
        if (kind === "interrupt") return { kind };
        if (kind === "duration") {
          const duration = await askChecked(kit, {
            message: "Duration",
            default: previous?.kind === "duration" ? previous.duration : "30s",
            validate: (text) => problemOf(() => parseDuration(text.trim(), "-d")),
          });
          if (duration !== BACK) return { kind, duration };
        } else {
          const count = await askChecked(kit, {
            message: "Packets",
            default: previous?.kind === "count" ? previous.count : "100",
            validate: (text) => problemOf(() => wholeNumber(text.trim(), "--count")),
          });
          if (count !== BACK) return { kind, count };
        }
      }
    },
  };
}

async function askChecked(kit: PickerKit, question: InputQuestion) {
  const text = await kit.prompts.input(question);
  return text === BACK ? BACK : text.trim();
}

/** The message of what `check` throws (a UsageError), as the prompt shows a wrong answer. */
export function problemOf(check: () => unknown): string | true {
  try {
    check();
    return true;
  } catch (error) {
    return (error as Error).message;
  }
}
