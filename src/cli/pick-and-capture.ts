// `podcap pick` (and `podcap` alone on a terminal): questions instead of flags, then the very
// capture `podcap capture` would run with the same answers as flags, and that command printed
// so the next run can be scripted. Nothing reaches a node before the last answer.

import { UsageError } from "../errors.js";
import { equivalentCommand } from "../ui/picker/equivalent-command.js";
import { findProgram } from "../ui/picker/find-program.js";
import { captureFlagsOf, type PickerSettings } from "../ui/picker/picker-answers.js";
import { PickerCluster } from "../ui/picker/picker-cluster.js";
import { terminalFacts, whyNoPrompts } from "../ui/picker/prompt-ability.js";
import { TerminalPrompts } from "../ui/picker/prompt-kit.js";
import { runPicker } from "../ui/picker/run-picker.js";
import { createStageListProgress } from "../ui/picker/stage-list-progress.js";
import { captureInvocation } from "./capture-command.js";
import type { PickFlags } from "./pick-command.js";
import { runCapture } from "./run-capture.js";

export async function pickAndCapture(
  flags: PickFlags,
  options: { interactive: boolean; debug: boolean },
): Promise<number> {
  const noPrompts = whyNoPrompts(terminalFacts(options.interactive));
  if (noPrompts !== undefined) {
    throw new UsageError(
      `no pod to capture, and podcap asks for one only on a terminal (${noPrompts})`,
      "name it: podcap capture POD [-n NAMESPACE] (podcap capture --help lists the options)",
    );
  }
  const settings: PickerSettings = {
    kubeconfig: flags.kubeconfig,
    inventory: flags.inventory,
    insecureAcceptHostKey: flags.insecureAcceptHostKey,
    nodeLimit: flags.nodeLimit,
  };
  const answers = await runPicker({
    prompts: new TerminalPrompts(),
    cluster: new PickerCluster({ kubeconfig: flags.kubeconfig, context: flags.context }),
    facts: {
      wiresharkInstalled: findProgram("wireshark") !== undefined,
      stdoutIsTerminal: process.stdout.isTTY === true,
      tcpdumpPath: findProgram("tcpdump"),
      now: () => new Date(),
    },
    preselect: { context: flags.context, namespace: flags.namespace },
    settings,
  });
  const captureFlags = captureFlagsOf(answers, settings);
  const invocation = captureInvocation(answers.pod, captureFlags);
  const command = equivalentCommand(answers.pod, captureFlags);
  try {
    return await runCapture(invocation, options.debug, createStageListProgress);
  } finally {
    process.stderr.write(`the same capture as a command:\n  ${command}\n`);
  }
}
