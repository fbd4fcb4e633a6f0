// Where the picker may ask, what it checks before moving on, and its live line.

import { describe, expect, it } from "vitest";
import { checkFilter } from "../../src/ui/picker/check-filter.js";
import { findProgram } from "../../src/ui/picker/find-program.js";
import { elapsedText, liveLine } from "../../src/ui/picker/live-line.js";
import { whyNoPrompts } from "../../src/ui/picker/prompt-ability.js";
import { namespaceEntries } from "../../src/ui/picker/steps/namespace-step.js";

const terminal = { interactive: true, stdinIsTerminal: true, stderrIsTerminal: true, ci: undefined };

describe("whyNoPrompts", () => {
  it("asks only on a terminal, outside CI, unless told not to", () => {
    expect(whyNoPrompts(terminal)).toBeUndefined();
    expect(whyNoPrompts({ ...terminal, ci: "false" })).toBeUndefined();
    expect(whyNoPrompts({ ...terminal, interactive: false })).toBe("--no-interactive");
    expect(whyNoPrompts({ ...terminal, ci: "true" })).toBe("CI is set");
    expect(whyNoPrompts({ ...terminal, ci: "1" })).toBe("CI is set");
    expect(whyNoPrompts({ ...terminal, stdinIsTerminal: false })).toBe("stdin is not a terminal");
    expect(whyNoPrompts({ ...terminal, stderrIsTerminal: false })).toBe("stderr is not a terminal");
  });
});

describe("checkFilter", () => {
  it("refuses what is unsafe without running anything", async () => {
    expect(await checkFilter("-w /etc/passwd", undefined)).toMatchObject({
      ok: false,
      message: /starts with '-'/,
    });
    expect(await checkFilter("port 80\nport 81", undefined)).toMatchObject({ ok: false });
  });

  it("leaves the compile to the node when there is no tcpdump here", async () => {
    expect(await checkFilter("tcp port 80 and (", undefined)).toEqual({
      ok: true,
      expression: "tcp port 80 and (",
      checkedLocally: false,
    });
  });

  const tcpdump = findProgram("tcpdump");
  it.skipIf(tcpdump === undefined)("compiles with the local tcpdump -d", async () => {
    expect(await checkFilter("  tcp port 80 ", tcpdump)).toEqual({
      ok: true,
      expression: "tcp port 80",
      checkedLocally: true,
    });
    expect(await checkFilter("tcp port 80 and (", tcpdump)).toMatchObject({
      ok: false,
      message: /syntax error/,
    });
    expect(await checkFilter("tcp port nosuchservice", tcpdump)).toMatchObject({
      ok: false,
      message: /unknown port/,
    });
  });
});

describe("namespaceEntries", () => {
  it("narrows the list and offers a typed namespace that is not listed", () => {
    const names = ["default", "demo", "kube-system"];
    expect(namespaceEntries(names, "de").map((e) => ("value" in e ? e.value : ""))).toEqual([
      "default",
      "demo",
      "de",
    ]);
    expect(namespaceEntries(names, "secret").map((e) => ("value" in e ? e.value : ""))).toEqual(["secret"]);
    expect(namespaceEntries(names, "Bad_Name!")).toEqual([]);
  });
});

describe("liveLine", () => {
  it("shows counts, the rate over the last seconds and the elapsed time", () => {
    const samples = [
      { at: 10_000, packets: 10, bytes: 1000 },
      { at: 12_000, packets: 30, bytes: 5000 },
    ];
    expect(liveLine(samples, 5_000)).toBe("30 packets, 5.0 kB, 10 pkt/s, 2.0 kB/s, 0:07 (Ctrl-C to stop)");
    expect(liveLine([], 5_000)).toMatch(/^0 packets, 0 B, — pkt\/s, 0:00/);
    expect(elapsedText(3_725_000)).toBe("1:02:05");
  });
});
