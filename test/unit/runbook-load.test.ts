// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbooks write ${var} literally
// Runbook schema errors point at the file, the line and the field, with a hint; YAML syntax too.

import { describe, expect, it } from "vitest";
import { ConfigInvalid } from "../../src/errors.js";
import { parseRunbook } from "../../src/runbook/runbook-load.js";

const base = `name: dns
targets:
  clients:
    selector: app=client
steps:
`;

function refusal(text: string, vars: Record<string, string> = {}): ConfigInvalid {
  try {
    parseRunbook(text, "dns.yaml", vars);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigInvalid);
    return error as ConfigInvalid;
  }
  throw new Error("parsed");
}

describe("parseRunbook", () => {
  it("reads a runbook, numbers as the flags' text and switches as booleans", () => {
    const { runbook } = parseRunbook(
      `${base}  - capture:\n      target: clients\n      port: 53\n      follow: true\n  - wait: 5s\n`,
      "dns.yaml",
      {},
    );
    expect(runbook.steps[0]?.capture).toEqual({ target: "clients", port: "53", follow: true });
    expect(runbook.steps[1]?.wait).toBe("5s");
  });

  it("names an unknown field with its line, column and path, and suggests the known one", () => {
    const error = refusal(`${base}  - wait: 1s\n  - capture:\n      target: clients\n      duraton: 5s\n`);
    expect(error.message).toBe("dns.yaml:9:7: steps[1].capture.duraton: unknown field");
    expect(error.hint).toMatch(/^did you mean duration\?/);
    expect(error.exitCode).toBe(2);
  });

  it("names a wrong type at its value", () => {
    const error = refusal(`${base}  - capture:\n      target: clients\n      split: sometimes\n`);
    expect(error.message).toBe("dns.yaml:8:14: steps[0].capture.split: expected true or false");
  });

  it("says an unknown step kind is one, and lists the kinds", () => {
    const error = refusal(`${base}  - captur:\n      target: clients\n`);
    expect(error.message).toBe('dns.yaml:6:5: steps[0].captur: unknown step kind "captur"');
    expect(error.hint).toMatch(
      /did you mean capture\? a step is one of capture, exec, bundle, wait, fetch, parallel/,
    );
  });

  it("refuses a step of two kinds", () => {
    expect(refusal(`${base}  - wait: 1s\n    fetch: x\n`).message).toMatch(
      /^dns.yaml:6:5: steps\[0\]: a step is one kind, not wait and fetch/,
    );
  });

  it("substitutes variables, --var over the default", () => {
    const text = `name: dns\nvars:\n  d: 5s\ntargets:\n  c:\n    selector: app=client\nsteps:\n  - wait: \${d}\n  - wait: x$\${d}\n`;
    expect(parseRunbook(text, "dns.yaml", {}).runbook.steps[0]?.wait).toBe("5s");
    const loaded = parseRunbook(text, "dns.yaml", { d: "1s" });
    expect(loaded.runbook.steps.map((s) => s.wait)).toEqual(["1s", "x${d}"]);
    expect(loaded.vars).toEqual({ d: "1s" });
  });

  it("refuses an unresolved variable where it is used", () => {
    const error = refusal(`${base}  - wait: \${pause}\n`);
    expect(error.message).toBe("dns.yaml:6:11: steps[0].wait: unresolved variable ${pause}");
  });

  it("refuses a variable declared without a value and not given", () => {
    const text = `name: dns\nvars:\n  pod: null\ntargets:\n  c:\n    names: \${pod}\nsteps:\n  - bundle:\n      target: c\n`;
    const error = refusal(text);
    expect(error.message).toBe("dns.yaml:6:12: targets.c.names: variable ${pod} has no value");
    expect(error.hint).toBe("give it one: --var pod=VALUE");
  });

  it("refuses --var of a variable the runbook does not declare", () => {
    expect(() => parseRunbook(`${base}  - wait: 1s\n`, "dns.yaml", { nope: "1" })).toThrow(
      /the runbook has no variable nope/,
    );
  });

  it("names YAML syntax errors with their line", () => {
    expect(refusal(`${base}  - capture: [a, \${b}]\n`).message).toMatch(/^invalid YAML in dns.yaml:6:/);
  });
});
