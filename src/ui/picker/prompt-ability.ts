// Whether podcap may ask questions here. It never prompts where nobody can answer (a pipe, a
// CI job) or where it was told not to: those fail at once with what is missing. The questions
// are drawn on stderr, like all progress, so stdout stays free for `podcap pick | tshark -r -`.

export interface TerminalFacts {
  /** false with --no-interactive. */
  interactive: boolean;
  stdinIsTerminal: boolean;
  stderrIsTerminal: boolean;
  /** The CI variable, which CI systems set to true (or 1). */
  ci: string | undefined;
}

export function whyNoPrompts(facts: TerminalFacts): string | undefined {
  if (!facts.interactive) return "--no-interactive";
  if (facts.ci !== undefined && !["", "0", "false"].includes(facts.ci.toLowerCase())) return "CI is set";
  if (!facts.stdinIsTerminal) return "stdin is not a terminal";
  if (!facts.stderrIsTerminal) return "stderr is not a terminal";
  return undefined;
}

export function terminalFacts(interactive: boolean): TerminalFacts {
  return {
    interactive,
    stdinIsTerminal: process.stdin.isTTY === true,
    stderrIsTerminal: process.stderr.isTTY === true,
    ci: process.env.CI,
  };
}
