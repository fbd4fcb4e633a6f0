// Planning is pure: runbook + vars -> steps built by capture's own checks; each refusal is
// pointed at the field (or target) it is about.

import { describe, expect, it } from "vitest";
import { ConfigInvalid } from "../../src/errors.js";
import { parseRunbook } from "../../src/runbook/runbook-load.js";
import { planRunbook } from "../../src/runbook/runbook-plan.js";

const targets = `name: t
namespace: demo
targets:
  clients:
    selector: app=client
  web:
    names: [deploy/web, web-6b7f9d8c5-k2x4p]
steps:
`;
const plan = (steps: string, vars: Record<string, string> = {}) =>
  planRunbook(parseRunbook(`${targets}${steps}`, "t.yaml", vars), {});

function refusal(steps: string): ConfigInvalid {
  try {
    plan(steps);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigInvalid);
    return error as ConfigInvalid;
  }
  throw new Error("planned");
}

describe("planRunbook", () => {
  it("builds the fan-out invocation capture would build from the same flags", () => {
    const [step] = plan(
      `  - capture:\n      target: web\n      proto: udp\n      port: 53\n      duration: 5s\n      where: pod,node:eth0\n`,
    ).steps;
    expect(step?.kind).toBe("capture");
    if (step?.kind !== "capture") return;
    expect(step.name).toBe("capture-1");
    expect(step.invocation.request.namespace).toBe("demo");
    expect(step.invocation.request.query.refs).toEqual([
      { kind: "deployment", name: "web" },
      { kind: "pod", name: "web-6b7f9d8c5-k2x4p" },
    ]);
    expect(step.invocation.request.capture).toMatchObject({
      filter: "(udp) and (port 53)",
      durationSeconds: 5,
    });
    expect(step.invocation.request.where?.map((p) => p.vantage)).toEqual(["pod", "node"]);
  });

  it("points capture's own refusals at the field they are about", () => {
    const error = refusal(`  - capture:\n      target: clients\n      count: many\n`);
    expect(error.message).toBe(
      't.yaml:11:14: steps[0].capture.count: --count takes a whole number, got "many"',
    );
    expect(refusal(`  - capture:\n      target: clients\n      duration: 1.5h\n`).message).toMatch(
      /^t.yaml:11:17: steps\[0\].capture.duration: invalid duration/,
    );
  });

  it("refuses what --detach refuses, and detach options without detach", () => {
    expect(
      refusal(`  - capture:\n      target: clients\n      detach: true\n      count: 5\n`).message,
    ).toMatch(/--count does not go with --detach/);
    expect(refusal(`  - capture:\n      target: clients\n      keep: 5\n`).message).toMatch(
      /^t.yaml:11:13: steps\[0\].capture.keep: --keep only goes with --detach/,
    );
  });

  it("plans a detached capture with its rotation and the day-long limit", () => {
    const [step] = plan(
      `  - name: night\n    capture:\n      target: clients\n      detach: true\n      rotate-every: 2s\n`,
    ).steps;
    expect(step).toMatchObject({
      kind: "detach",
      name: "night",
      request: { limitSeconds: 86_400, rotation: { rotateSeconds: 2 } },
    });
  });

  it("refuses an unknown target at the step, a bad target at its own line", () => {
    expect(refusal(`  - bundle:\n      target: dns\n`).message).toBe(
      't.yaml:10:15: steps[0].bundle.target: unknown target "dns"',
    );
    const bad = planRunbook.bind(
      null,
      parseRunbook(
        `name: t\ntargets:\n  x:\n    names: web\n    selector: app=web\nsteps:\n  - bundle:\n      target: x\n`,
        "t.yaml",
        {},
      ),
      {},
    );
    expect(bad).toThrow(/^t.yaml:4:5: targets.x: name targets or select them with -l, not both/);
  });

  it("fetches only an earlier detached capture, never a sibling in its parallel group", () => {
    expect(refusal(`  - fetch: night\n`).message).toMatch(
      /steps\[0\].fetch.from: no earlier capture step named "night"/,
    );
    const sibling = `  - parallel:\n      - name: night\n        capture:\n          target: clients\n          detach: true\n      - fetch: night\n`;
    expect(refusal(sibling).message).toMatch(/night runs in the same parallel group/);
    const steps = plan(
      `  - name: night\n    capture:\n      target: clients\n      detach: true\n  - wait: 2s\n  - fetch: { from: night, stop: true }\n`,
    ).steps;
    expect(steps.map((s) => [s.kind, s.name])).toEqual([
      ["detach", "night"],
      ["wait", "wait-2"],
      ["fetch", "fetch-3"],
    ]);
    expect(steps[2]).toMatchObject({ from: "night", stop: true, merge: true, remove: false });
  });

  it("refuses two steps of one name, and reads the run's stop", () => {
    expect(refusal(`  - name: a\n    wait: 1s\n  - name: a\n    wait: 1s\n`).message).toMatch(
      /steps\[1\].name: a second step named "a"/,
    );
    const planned = planRunbook(
      parseRunbook(
        `${targets.replace("steps:\n", "stop: { after: 30s, on-failure: true }\nsteps:\n")}  - wait: 1s\n`,
        "t.yaml",
        {},
      ),
      {},
    );
    expect(planned).toMatchObject({ afterSeconds: 30, onFailure: true });
  });

  it("plans exec as an argv, with its timeout", () => {
    const [step] = plan(
      `  - exec:\n      target: clients\n      command: [ss, -uanp]\n      timeout: 5s\n`,
    ).steps;
    expect(step).toMatchObject({ kind: "exec", argv: ["ss", "-uanp"], timeoutSeconds: 5 });
  });
});
