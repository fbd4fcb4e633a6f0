// Which cluster: the kubeconfig's contexts, the current one (or --context) preselected; not
// asked when there is only one.

import type { PickerKit, PickerStep } from "./picker-step.js";

export function contextStep(kit: PickerKit): PickerStep {
  return {
    key: "context",
    auto: () => {
      const { names } = kit.cluster.contexts();
      return names.length === 1 ? names[0] : undefined;
    },
    ask: (answers, canGoBack) => {
      const { names, current } = kit.cluster.contexts();
      return kit.prompts.select({
        message: "Kubernetes context",
        choices: names.map((name) => ({ value: name, name })),
        default: answers.context ?? kit.preselect.context ?? current,
        withBack: canGoBack,
      });
    },
  };
}
