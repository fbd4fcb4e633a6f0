import { Command, CommanderError } from "commander";
import { ExitCode, isPodcapError, UsageError } from "../errors.js";
import { addCaptureCommand } from "./capture-command.js";
import { addCapturesCommands } from "./captures-commands.js";
import { addNetnsCommands } from "./netns-commands.js";
import { addPickCommand } from "./pick-command.js";
import { addRunCommand } from "./run-command.js";
import { addTrustCommand } from "./trust-command.js";

export function buildProgram(): Command {
  const program = new Command("podcap")
    .description("Capture the network traffic of Kubernetes pods from their node, over SSH")
    .option("--debug", "print stack traces and remote commands")
    .option(
      "--no-interactive",
      "never ask questions: fail with what is missing (as without a terminal or with CI=true)",
    )
    .showHelpAfterError("(run with --help for usage)")
    // Commander's own refusals (unknown option, missing value) exit 2 like every usage error.
    .exitOverride();
  addCaptureCommand(program);
  addPickCommand(program);
  addTrustCommand(program);
  addCapturesCommands(program);
  addNetnsCommands(program);
  addRunCommand(program);
  // `podcap` alone is the picker, as a k9s or np user expects; anything else alone is a typo.
  program
    .argument("[command]")
    .usage("[options] [command]")
    .action(async (command: string | undefined, flags: { interactive: boolean; debug?: boolean }) => {
      if (command !== undefined)
        throw new UsageError(
          `unknown command ${JSON.stringify(command)}`,
          "podcap --help lists the commands",
        );
      const { pickAndCapture } = await import("./pick-and-capture.js");
      process.exitCode = await pickAndCapture(
        { nodeLimit: "1h" },
        { interactive: flags.interactive, debug: Boolean(flags.debug) },
      );
    });
  return program;
}

/** Runs the CLI and exits with the documented code; no stack trace unless --debug. */
export async function main(argv: string[]): Promise<void> {
  const debug = argv.includes("--debug");
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    process.exitCode = report(error, debug);
  }
}

function report(error: unknown, debug: boolean): number {
  // Commander has already said what was wrong, and --help / --version are not errors.
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  if (debug) console.error(error);
  if (isPodcapError(error)) {
    console.error(`podcap: ${error.message}\n  hint: ${error.hint}`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  console.error(`podcap: ${message}\n  hint: run again with --debug for details`);
  return ExitCode.failure;
}
