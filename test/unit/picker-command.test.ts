// What a picker session amounts to: its answers as `podcap capture` flags, the printed command,
// and that this command, parsed by podcap's own command line, is the very capture the picker ran.

import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { addCaptureCommand, type CaptureFlags, captureInvocation } from "../../src/cli/capture-command.js";
import { answerTrail } from "../../src/ui/picker/answer-trail.js";
import { equivalentArgv, equivalentCommand } from "../../src/ui/picker/equivalent-command.js";
import {
  captureFlagsOf,
  type PickerAnswers,
  type PickerSettings,
} from "../../src/ui/picker/picker-answers.js";
import { QUICK_FILTERS, quickFilterOf } from "../../src/ui/picker/quick-filters.js";

const settings: PickerSettings = { nodeLimit: "1h" };
const answers: PickerAnswers = {
  context: "lab",
  namespace: "demo",
  pod: "web-1",
  container: "main",
  iface: "eth0",
  filter: { kind: "bpf", expression: "tcp port 80 or tcp port 8080" },
  stop: { kind: "duration", duration: "30s" },
  output: { kind: "file", path: "demo_web-1_20260102T030405Z.pcap" },
};

/** The flags podcap's own command line makes of an argv, without running anything. */
function parsedByPodcap(argv: string[]): { targets: string[]; flags: CaptureFlags } {
  const program = new Command("podcap").exitOverride();
  addCaptureCommand(program);
  let parsed: { targets: string[]; flags: CaptureFlags } | undefined;
  program.commands
    .find((c) => c.name() === "capture")
    ?.action((targets: string[], flags: CaptureFlags) => {
      parsed = { targets, flags };
    });
  program.parse(argv.slice(1), { from: "user" });
  if (!parsed) throw new Error("capture did not run");
  return parsed;
}

/** A POSIX shell's word splitting of the printed line, for the quoting quote() produces. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'((?:[^']|'"'"')*)'|(\S+)/g)].map((m) =>
    m[1] !== undefined ? m[1].replaceAll(`'"'"'`, "'") : (m[2] as string),
  );
}

describe("the equivalent command", () => {
  it("is the one-shot capture with every answer as a flag, quoted for a shell", () => {
    expect(equivalentCommand("web-1", captureFlagsOf(answers, settings))).toBe(
      "podcap capture web-1 -n demo --context lab -c main -i eth0 -f 'tcp port 80 or tcp port 8080' -d 30s -o demo_web-1_20260102T030405Z.pcap",
    );
  });

  it.each<[string, Partial<PickerAnswers>, PickerSettings]>([
    ["a file", {}, settings],
    [
      "one port, a count, stdout",
      {
        filter: { kind: "port", port: "53" },
        stop: { kind: "count", count: "100" },
        output: { kind: "stdout" },
      },
      settings,
    ],
    [
      "everything, Ctrl-C, wireshark",
      { filter: { kind: "bpf", expression: "" }, stop: { kind: "interrupt" }, output: { kind: "wireshark" } },
      settings,
    ],
    [
      "a filter with shell metacharacters",
      {
        filter: { kind: "bpf", expression: "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0 and not port 22" },
        iface: "lo",
      },
      settings,
    ],
    [
      "carried settings",
      {},
      { kubeconfig: "/tmp/k config", inventory: "inv.yaml", insecureAcceptHostKey: true, nodeLimit: "10m" },
    ],
  ])("parses back to the capture the picker ran: %s", (_, change, carried) => {
    const flags = captureFlagsOf({ ...answers, ...change }, carried);
    const line = equivalentCommand(answers.pod, flags);
    expect(shellWords(line)).toEqual(equivalentArgv(answers.pod, flags));
    const parsed = parsedByPodcap(shellWords(line));
    expect(parsed.targets).toEqual([answers.pod]);
    expect(captureInvocation(parsed.targets[0] as string, parsed.flags)).toEqual(
      captureInvocation(answers.pod, flags),
    );
  });

  it("names a --node-limit only when it is not the default", () => {
    expect(equivalentArgv("web-1", captureFlagsOf(answers, settings))).not.toContain("--node-limit");
    expect(equivalentArgv("web-1", captureFlagsOf(answers, { nodeLimit: "5m" }))).toContain("--node-limit");
  });
});

describe("answers as flags", () => {
  it("turns each kind of answer into the flag podcap capture takes", () => {
    const port = captureFlagsOf(
      { ...answers, filter: { kind: "port", port: "53" }, output: { kind: "stdout" } },
      settings,
    );
    expect(port).toMatchObject({ port: "53", filter: undefined, output: "-", wireshark: undefined });
    const everything = captureFlagsOf(
      { ...answers, filter: { kind: "bpf", expression: "" }, stop: { kind: "count", count: "5" } },
      settings,
    );
    expect(everything).toMatchObject({ filter: undefined, count: "5", duration: undefined });
  });
});

describe("quick filters", () => {
  it("finds the quick choice an earlier answer came from", () => {
    expect(quickFilterOf({ kind: "bpf", expression: "port 53" })?.title).toMatch(/DNS/);
    expect(quickFilterOf({ kind: "port", port: "443" })?.asks).toBe("port");
    expect(quickFilterOf({ kind: "bpf", expression: "icmp" })?.asks).toBe("expression");
    expect(quickFilterOf(undefined)).toBeUndefined();
    expect(QUICK_FILTERS[0]?.answer).toEqual({ kind: "bpf", expression: "" });
  });
});

describe("answer trail", () => {
  it("lists the given answers in step order", () => {
    expect(answerTrail(answers, ["context", "namespace", "pod", "filter", "stop"])).toBe(
      "lab › demo › web-1 › tcp port 80 or tcp port 8080 › for 30s",
    );
    expect(answerTrail({ context: "lab" }, ["context", "namespace"])).toBe("lab");
  });
});
