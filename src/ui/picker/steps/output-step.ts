// Where the packets go: a file (the default name preselected, or another), stdout when it is
// not a terminal (`podcap pick | tshark -r -`), or Wireshark when it is installed.

import { defaultOutputFileName } from "../../../capture/output-file-name.js";
import type { OutputAnswer } from "../picker-answers.js";
import { BACK } from "../step-navigation.js";
import { earlier, type PickerKit, type PickerStep } from "./picker-step.js";

type OutputChoice = "default-file" | "other-file" | "stdout" | "wireshark";

export function outputStep(kit: PickerKit): PickerStep {
  return {
    key: "output",
    ask: async (answers) => {
      const { namespace, pod } = earlier(answers, "namespace", "pod");
      const defaultFile = defaultOutputFileName(namespace, pod, kit.facts.now());
      const previous = answers.output;
      let preselected = previousChoice(previous);
      for (;;) {
        const choice = await kit.prompts.select<OutputChoice>({
          message: "Write the packets to",
          choices: [
            { value: "default-file", name: `file ${defaultFile}` },
            { value: "other-file", name: "file, another name…" },
            {
              value: "stdout",
              name: "standard output (to pipe into tshark or another program)",
              disabled: kit.facts.stdoutIsTerminal
                ? "(stdout is this terminal: run podcap pick | tshark -r -)"
                : undefined,
            },
            {
              value: "wireshark",
              name: "Wireshark, live",
              disabled: kit.facts.wiresharkInstalled ? undefined : "(wireshark is not installed)",
            },
          ],
          default: preselected,
        });
        if (choice === BACK) return BACK;
        preselected = choice;
        if (choice === "default-file") return { kind: "file", path: defaultFile } satisfies OutputAnswer;
        if (choice === "stdout" || choice === "wireshark") return { kind: choice } satisfies OutputAnswer;
        const path = await kit.prompts.input({
          message: "File",
          default: previous?.kind === "file" ? previous.path : defaultFile,
          validate: (text) => (text.trim() === "" || text.trim() === "-" ? "give a file name" : true),
        });
        if (path !== BACK) return { kind: "file", path: path.trim() } satisfies OutputAnswer;
      }
    },
  };
}

function previousChoice(previous: OutputAnswer | undefined): OutputChoice | undefined {
  if (previous === undefined) return undefined;
  // A file from an earlier pass was named on purpose: offer to keep that name.
  return previous.kind === "file" ? "other-file" : previous.kind;
}
