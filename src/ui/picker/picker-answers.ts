// What a person decides in the picker, and the `podcap capture` flags those decisions are. The
// picker runs exactly these flags through the one-shot capture, so the command it prints is
// what it ran. Pure.

import type { CaptureFlags } from "../../cli/capture-options.js";

export type StopAnswer =
  | { kind: "interrupt" }
  | { kind: "duration"; duration: string }
  | { kind: "count"; count: string };
export type FilterAnswer = { kind: "bpf"; expression: string } | { kind: "port"; port: string };
export type OutputAnswer = { kind: "file"; path: string } | { kind: "stdout" } | { kind: "wireshark" };

export interface PickerAnswers {
  context: string;
  namespace: string;
  pod: string;
  container: string;
  iface: string;
  /** An empty expression captures everything. */
  filter: FilterAnswer;
  stop: StopAnswer;
  output: OutputAnswer;
}

/** What the person gave on the command line, carried into the capture unchanged. */
export interface PickerSettings {
  kubeconfig?: string;
  inventory?: string;
  insecureAcceptHostKey?: boolean;
  nodeLimit: string;
}

export function captureFlagsOf(answers: PickerAnswers, settings: PickerSettings): CaptureFlags {
  const { filter, stop, output } = answers;
  return {
    namespace: answers.namespace,
    context: answers.context,
    kubeconfig: settings.kubeconfig,
    container: answers.container,
    interface: answers.iface,
    filter: filter.kind === "bpf" && filter.expression !== "" ? filter.expression : undefined,
    port: filter.kind === "port" ? filter.port : undefined,
    duration: stop.kind === "duration" ? stop.duration : undefined,
    count: stop.kind === "count" ? stop.count : undefined,
    output: output.kind === "file" ? output.path : output.kind === "stdout" ? "-" : undefined,
    wireshark: output.kind === "wireshark" ? true : undefined,
    inventory: settings.inventory,
    insecureAcceptHostKey: settings.insecureAcceptHostKey ? true : undefined,
    nodeLimit: settings.nodeLimit,
  };
}
