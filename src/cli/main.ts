import { Command } from "commander";
import { ExitCode, isPodcapError } from "../errors.js";
import { addCaptureCommand } from "./capture-command.js";
import { addTrustCommand } from "./trust-command.js";

export function buildProgram(): Command {
  const program = new Command("podcap")
    .description("Capture the network traffic of Kubernetes pods from their node, over SSH")
    .option("--debug", "print stack traces and remote commands")
    .showHelpAfterError("(run with --help for usage)");
  addCaptureCommand(program);
  addTrustCommand(program);
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
  if (debug) console.error(error);
  if (isPodcapError(error)) {
    console.error(`podcap: ${error.message}\n  hint: ${error.hint}`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  console.error(`podcap: ${message}\n  hint: run again with --debug for details`);
  return ExitCode.failure;
}
