// The one-shot command a picker session amounts to, so the next run can be scripted. Built from
// the same CaptureFlags the picker ran, each word quoted for a POSIX shell by the one quoting
// function. Pure.

import type { CaptureFlags } from "../../cli/capture-options.js";
import { quote } from "../../ssh/quote.js";

/** The --node-limit podcap capture assumes; only another one is spelled out. */
export const DEFAULT_NODE_LIMIT = "1h";

export function equivalentArgv(pod: string, flags: CaptureFlags): string[] {
  const argv = ["podcap", "capture", pod];
  const option = (name: string, value: string | undefined) => {
    if (value !== undefined) argv.push(name, value);
  };
  const flag = (name: string, on: boolean | undefined) => {
    if (on) argv.push(name);
  };
  option("-n", flags.namespace);
  option("--context", flags.context);
  option("--kubeconfig", flags.kubeconfig);
  option("-c", flags.container);
  option("-i", flags.interface);
  option("-f", flags.filter);
  option("--port", flags.port);
  option("--proto", flags.proto);
  option("-d", flags.duration);
  option("--count", flags.count);
  option("-o", flags.output);
  flag("--wireshark", flags.wireshark);
  option("--inventory", flags.inventory);
  option("--node-limit", flags.nodeLimit === DEFAULT_NODE_LIMIT ? undefined : flags.nodeLimit);
  flag("--insecure-accept-host-key", flags.insecureAcceptHostKey);
  return argv;
}

export function equivalentCommand(pod: string, flags: CaptureFlags): string {
  return quote(equivalentArgv(pod, flags));
}
