// The picker's walk through its steps: forwards, back (passing over steps answered by
// themselves), and which answers survive a changed earlier answer.

import { describe, expect, it } from "vitest";
import { answer, back, firstStep, isFinished, type StepRule } from "../../src/ui/picker/step-navigation.js";

interface Answers {
  context: string;
  pod: string;
  container: string;
  output: string;
}

const containersOf: Record<string, string[]> = { web: ["main"], db: ["postgres", "metrics"] };

const steps: StepRule<Answers>[] = [
  { key: "context", auto: () => undefined },
  { key: "pod" },
  {
    key: "container",
    // One container: nothing to decide.
    auto: (a) => (a.pod && containersOf[a.pod]?.length === 1 ? containersOf[a.pod]?.[0] : undefined),
  },
  { key: "output" },
];

describe("step navigation", () => {
  it("walks forwards and finishes after the last step", () => {
    let walk = firstStep(steps);
    expect(walk.index).toBe(0);
    walk = answer(steps, walk, "lab");
    walk = answer(steps, walk, "db");
    expect(walk.index).toBe(2);
    walk = answer(steps, walk, "metrics");
    walk = answer(steps, walk, "x.pcap");
    expect(isFinished(steps, walk)).toBe(true);
    expect(walk.answers).toEqual({ context: "lab", pod: "db", container: "metrics", output: "x.pcap" });
  });

  it("answers an automatic step by itself, and going back passes over it", () => {
    let walk = answer(steps, answer(steps, firstStep(steps), "lab"), "web");
    expect(walk.index).toBe(3);
    expect(walk.answers.container).toBe("main");
    walk = back(steps, walk);
    expect(walk.index).toBe(1);
  });

  it("stays on the first step when there is nothing before it", () => {
    const walk = firstStep(steps);
    expect(back(steps, walk)).toBe(walk);
  });

  it("keeps later answers when an earlier one is given again unchanged", () => {
    let walk = answer(steps, answer(steps, firstStep(steps), "lab"), "db");
    walk = answer(steps, answer(steps, walk, "metrics"), "x.pcap");
    walk = back(steps, back(steps, { ...walk, index: 3 }));
    expect(walk.index).toBe(1);
    walk = answer(steps, walk, "db");
    expect(walk.index).toBe(2);
    expect(walk.answers).toMatchObject({ container: "metrics", output: "x.pcap" });
  });

  it("drops later answers when an earlier one changes", () => {
    let walk = answer(steps, answer(steps, firstStep(steps), "lab"), "db");
    walk = answer(steps, answer(steps, walk, "metrics"), "x.pcap");
    walk = answer(steps, back(steps, back(steps, { ...walk, index: 3 })), "web");
    expect(walk.answers).toEqual({ context: "lab", pod: "web", container: "main" });
    expect(walk.index).toBe(3);
  });

  it("skips leading automatic steps at the start, and back never returns to them", () => {
    const withAutoFirst: StepRule<Answers>[] = [{ key: "context", auto: () => "only" }, { key: "pod" }];
    const walk = firstStep(withAutoFirst);
    expect(walk).toEqual({ index: 1, answers: { context: "only" } });
    expect(back(withAutoFirst, walk)).toBe(walk);
  });
});
