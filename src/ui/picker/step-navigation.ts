// The picker as a list of named steps walked forwards and backwards (the np style: each step
// a unit with its own skip logic). Pure: the prompts live in the steps, this only decides which
// step comes next and which answers still hold.

/** What an asked step may answer instead of a value: "take me to the previous step". */
export const BACK: unique symbol = Symbol("back");
export type Back = typeof BACK;

export interface StepRule<A> {
  key: keyof A;
  /** The answer when there is nothing to decide (one context, one container): the step is not shown. */
  auto?(answers: Partial<A>): A[keyof A] | undefined;
}

export interface Walk<A> {
  /** The step to ask next; steps.length once every step is answered. */
  index: number;
  answers: Partial<A>;
}

export function firstStep<A>(steps: readonly StepRule<A>[], answers: Partial<A> = {}): Walk<A> {
  return settleAutos(steps, { index: 0, answers });
}

export const isFinished = <A>(steps: readonly StepRule<A>[], walk: Walk<A>) => walk.index >= steps.length;

/**
 * Records the answer of the current step and moves on. A changed answer drops every later one
 * (another pod has other containers and another default file name); an unchanged answer keeps
 * them, so going back and forth does not lose what was chosen.
 */
export function answer<A>(steps: readonly StepRule<A>[], walk: Walk<A>, value: A[keyof A]): Walk<A> {
  const key = steps[walk.index]?.key;
  if (key === undefined) return walk;
  const changed = walk.answers[key] !== value;
  const answers: Partial<A> = changed ? keepUpTo(steps, walk.answers, walk.index) : { ...walk.answers };
  answers[key] = value;
  return settleAutos(steps, { index: walk.index + 1, answers });
}

/** The previous step that is asked (automatic ones are passed over); the first step stays. */
export function back<A>(steps: readonly StepRule<A>[], walk: Walk<A>): Walk<A> {
  for (let index = walk.index - 1; index >= 0; index -= 1) {
    if (autoValue(steps, index, walk.answers) === undefined) return { index, answers: walk.answers };
  }
  return walk;
}

function autoValue<A>(steps: readonly StepRule<A>[], index: number, answers: Partial<A>) {
  return steps[index]?.auto?.(answers);
}

function settleAutos<A>(steps: readonly StepRule<A>[], walk: Walk<A>): Walk<A> {
  let { index } = walk;
  let answers = walk.answers;
  for (
    let value = autoValue(steps, index, answers);
    value !== undefined;
    value = autoValue(steps, index, answers)
  ) {
    const key = (steps[index] as StepRule<A>).key;
    if (answers[key] !== value) answers = keepUpTo(steps, answers, index);
    answers = { ...answers, [key]: value };
    index += 1;
  }
  return { index, answers };
}

/** The answers of the steps before `index` only. */
function keepUpTo<A>(steps: readonly StepRule<A>[], answers: Partial<A>, index: number): Partial<A> {
  const kept: Partial<A> = {};
  for (const step of steps.slice(0, index)) {
    if (step.key in answers) kept[step.key] = answers[step.key];
  }
  return kept;
}
