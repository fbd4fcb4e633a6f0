// The answers so far as one short line (lab › demo › web-1 › eth0 › port 53 › for 30s), shown
// beside each question and once more when the last is answered. Pure.

import { printableText } from "../../capture/printable.js";
import type { PickerAnswers } from "./picker-answers.js";

type Labels = { [K in keyof PickerAnswers]: (value: PickerAnswers[K]) => string };

const LABELS: Labels = {
  context: (context) => context,
  namespace: (namespace) => namespace,
  pod: (pod) => pod,
  container: (container) => `container ${container}`,
  iface: (iface) => iface,
  filter: (filter) =>
    filter.kind === "port"
      ? `port ${filter.port}`
      : filter.expression === ""
        ? "everything"
        : filter.expression,
  stop: (stop) =>
    stop.kind === "interrupt"
      ? "until Ctrl-C"
      : stop.kind === "duration"
        ? `for ${stop.duration}`
        : `${stop.count} packets`,
  output: (output) =>
    output.kind === "file" ? output.path : output.kind === "stdout" ? "stdout" : "Wireshark",
};

function label<K extends keyof PickerAnswers>(key: K, value: PickerAnswers[K]): string {
  return printableText(LABELS[key](value), 60);
}

/** The answers of `keys` that are given, in that order. */
export function answerTrail(answers: Partial<PickerAnswers>, keys: readonly (keyof PickerAnswers)[]): string {
  return keys
    .flatMap((key) => {
      const value = answers[key];
      return value === undefined ? [] : [label(key, value as PickerAnswers[typeof key])];
    })
    .join(" › ");
}
