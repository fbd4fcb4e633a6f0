// What to keep: a quick choice, one port, or a BPF expression that is compiled before the next
// question (here with tcpdump -d when it is installed, else on the node when the capture starts).

import { parsePort } from "../../../capture/bpf-filter.js";
import { checkFilter } from "../check-filter.js";
import type { FilterAnswer } from "../picker-answers.js";
import { QUICK_FILTERS, type QuickFilter, quickFilterOf } from "../quick-filters.js";
import { BACK } from "../step-navigation.js";
import type { PickerKit, PickerStep } from "./picker-step.js";

export function filterStep(kit: PickerKit): PickerStep {
  return {
    key: "filter",
    ask: async (answers) => {
      let preselected = quickFilterOf(answers.filter);
      for (;;) {
        const quick = await kit.prompts.select<QuickFilter>({
          message: "Which traffic",
          choices: QUICK_FILTERS.map((q) => ({ value: q, name: q.title })),
          default: preselected,
        });
        if (quick === BACK) return BACK;
        preselected = quick;
        if (quick.answer) return quick.answer;
        // Back from the follow-up question is back to the quick choices.
        const detail =
          quick.asks === "port"
            ? await askPort(kit, answers.filter)
            : await askExpression(kit, answers.filter);
        if (detail !== BACK) return detail;
      }
    },
  };
}

async function askPort(kit: PickerKit, previous: FilterAnswer | undefined) {
  const port = await kit.prompts.input({
    message: "Port (tcp or udp, either direction)",
    default: previous?.kind === "port" ? previous.port : undefined,
    validate: (text) => portProblem(text) ?? true,
  });
  return port === BACK ? BACK : ({ kind: "port", port: port.trim() } satisfies FilterAnswer);
}

function portProblem(text: string): string | undefined {
  try {
    parsePort(text);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

async function askExpression(kit: PickerKit, previous: FilterAnswer | undefined) {
  const note = kit.facts.tcpdumpPath
    ? "checked here with tcpdump -d"
    : "no tcpdump here: the node checks it before capturing";
  let expression = "";
  const text = await kit.prompts.input({
    message: `BPF filter, as tcpdump takes it (${note})`,
    default: previous?.kind === "bpf" && previous.expression !== "" ? previous.expression : undefined,
    validate: async (typed) => {
      const check = await checkFilter(typed, kit.facts.tcpdumpPath);
      if (!check.ok) return check.message;
      expression = check.expression;
      return true;
    },
  });
  return text === BACK ? BACK : ({ kind: "bpf", expression } satisfies FilterAnswer);
}
