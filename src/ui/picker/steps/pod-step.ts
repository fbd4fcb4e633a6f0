// Which pod: a searchable `kubectl get pods -o wide` table; pods that cannot be captured stay in
// the table, dimmed, with the reason.

import { podTable } from "../pod-choices.js";
import { podRow } from "../pod-rows.js";
import { type Entry, Separator } from "../prompt-kit.js";
import { earlier, type PickerKit, type PickerStep } from "./picker-step.js";

export function podStep(kit: PickerKit): PickerStep {
  return {
    key: "pod",
    ask: (answers) => {
      const { context, namespace } = earlier(answers, "context", "namespace");
      const listing = kit.cluster.pods(context, namespace).then((pods) => {
        const now = kit.facts.now();
        return pods.map((pod) => podRow(pod, now));
      });
      return kit.prompts.search({
        message: "Pod (type to search by name, node, status or IP)",
        source: async (term) => {
          const rows = await listing;
          if (rows.length === 0) return [new Separator(` (no pods in namespace ${namespace})`)];
          const table = podTable(rows, term);
          const entries: Entry<string>[] = [new Separator(table.header), ...table.choices];
          return entries;
        },
        default: answers.pod,
      });
    },
  };
}
