// Whose process to enter: podcap's default container preselected, sidecars marked; not asked
// for a pod with one container.

import { containerChoices, onlyContainer } from "../container-choices.js";
import { earlier, type PickerKit, type PickerStep } from "./picker-step.js";

export function containerStep(kit: PickerKit): PickerStep {
  const chosenPod = (answers: Parameters<PickerStep["ask"]>[0]) => {
    const { context, namespace, pod } = earlier(answers, "context", "namespace", "pod");
    return kit.cluster.listedPod(context, namespace, pod);
  };
  return {
    key: "container",
    auto: (answers) => {
      const pod = answers.pod === undefined ? undefined : chosenPod(answers);
      return pod === undefined ? undefined : onlyContainer(pod);
    },
    ask: (answers) => {
      const pod = chosenPod(answers);
      const { choices, preselected } = pod ? containerChoices(pod) : { choices: [], preselected: undefined };
      return kit.prompts.select({
        message: "Container (all share the pod's network; this picks whose process is entered)",
        choices,
        default: answers.container ?? preselected,
      });
    },
  };
}
