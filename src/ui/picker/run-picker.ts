// The picker, step by step, in the order a person decides (the np style: the list of steps is
// the architecture): context -> namespace -> pod -> container -> where -> filter -> stop ->
// output. Esc or "← back" returns to the previous step with its answer preselected.

import { answerTrail } from "./answer-trail.js";
import type { PickerAnswers } from "./picker-answers.js";
import { answer, BACK, back, firstStep, isFinished } from "./step-navigation.js";
import { containerStep } from "./steps/container-step.js";
import { contextStep } from "./steps/context-step.js";
import { filterStep } from "./steps/filter-step.js";
import { interfaceStep } from "./steps/interface-step.js";
import { namespaceStep } from "./steps/namespace-step.js";
import { outputStep } from "./steps/output-step.js";
import type { PickerKit, PickerStep } from "./steps/picker-step.js";
import { podStep } from "./steps/pod-step.js";
import { stopStep } from "./steps/stop-step.js";

export function pickerSteps(kit: PickerKit): PickerStep[] {
  return [
    contextStep(kit),
    namespaceStep(kit),
    podStep(kit),
    containerStep(kit),
    interfaceStep(kit),
    filterStep(kit),
    stopStep(kit),
    outputStep(kit),
  ];
}

/** Asks until every step is answered; Ctrl-C at any question throws Interrupted. */
export async function runPicker(kit: PickerKit): Promise<PickerAnswers> {
  const steps = pickerSteps(kit);
  let walk = firstStep(steps);
  while (!isFinished(steps, walk)) {
    const step = steps[walk.index] as PickerStep;
    const canGoBack = back(steps, walk) !== walk;
    kit.prompts.showTrail(trailBefore(steps, walk.answers, walk.index));
    const value = await step.ask(walk.answers, canGoBack);
    walk = value === BACK ? back(steps, walk) : answer(steps, walk, value);
  }
  process.stderr.write(`✔ ${trailBefore(steps, walk.answers, steps.length)}\n`);
  return walk.answers as PickerAnswers;
}

function trailBefore(steps: readonly PickerStep[], answers: Partial<PickerAnswers>, index: number): string {
  return answerTrail(
    answers,
    steps.slice(0, index).map((step) => step.key),
  );
}
