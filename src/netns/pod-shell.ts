// `podcap shell`: what seeds/001's e_net.sh does by hand (nsenter -n -t PID on the node), as an
// interactive shell over a pty. The local terminal goes raw for the session (Ctrl-C, Ctrl-D and
// line editing belong to the remote shell), the window size follows SIGWINCH, the shell's exit
// code comes back, and the terminal is restored on every path, a crash of podcap included.

import type { Writable } from "node:stream";
import type { ClientChannel } from "ssh2";
import { UsageError } from "../errors.js";
import type { PodTarget } from "../kube/pod-target.js";
import type { Located } from "../runtime/locate.js";
import { connectionLost } from "../ssh/connect-errors.js";
import { exitStatus } from "./exec-in-pod.js";
import { shellRunnerArgv } from "./netns-runner.js";
import { type PodNetnsRequest, type PodNodeHooks, withPodOnNode } from "./pod-on-node.js";

export interface ShellTerminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  /** Where the banner goes. */
  stderr: Writable;
  env?: NodeJS.ProcessEnv;
}

const processTerminal = (): ShellTerminal => ({
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});

/** Refuses to start without a terminal on both ends, before anything is asked of anyone. */
export function assertTerminal(terminal: Pick<ShellTerminal, "stdin" | "stdout">): void {
  if (terminal.stdin.isTTY !== true || terminal.stdout.isTTY !== true)
    throw new UsageError(
      "podcap shell needs a terminal (standard input and output must be a TTY)",
      "for one command without a terminal use `podcap exec POD -- CMD`, e.g. podcap exec POD -- ip addr",
    );
}

export function shellBanner(pod: PodTarget, located: Located): string {
  return [
    `podcap: shell in the network namespace of pod ${pod.namespace}/${pod.name} (IP ${pod.podIP || "none"})`,
    `podcap: node ${pod.nodeName}, container ${pod.container.name}, ${located.runtime} pid ${located.pid}`,
    `podcap: the network (interfaces, routes, iptables, sockets) is the pod's; the filesystem, tools and processes are the node's`,
    "podcap: exit or Ctrl-D leaves",
    "",
  ].join("\n");
}

/** Opens the shell and resolves to its exit code once it ends. */
export async function shellInPod(
  request: PodNetnsRequest,
  terminal: ShellTerminal = processTerminal(),
  hooks: PodNodeHooks = {},
): Promise<number> {
  assertTerminal(terminal);
  return withPodOnNode(
    request,
    {
      action: "shell",
      exitCodeOf: (code) => code,
      run: async (node) => {
        terminal.stderr.write(shellBanner(node.pod, node.located));
        const channel = await node.session.spawnPty(shellRunnerArgv(node.located.pid), {
          sudo: node.target.sudo,
          pty: {
            rows: terminal.stdout.rows || 24,
            cols: terminal.stdout.columns || 80,
            term: (terminal.env ?? process.env).TERM || "xterm-256color",
          },
        });
        return attach(channel, terminal, node.pod.nodeName);
      },
    },
    hooks,
  );
}

/** Joins the local terminal to the channel until it closes; the terminal is restored after. */
function attach(channel: ClientChannel, terminal: ShellTerminal, nodeName: string): Promise<number> {
  const { stdin, stdout } = terminal;
  const wasRaw = stdin.isRaw;
  const restore = () => {
    if (stdin.isTTY) stdin.setRawMode(wasRaw);
  };
  // Whatever ends podcap (an exception, process.exit), the user gets a working terminal back.
  process.once("exit", restore);
  const resize = () => channel.setWindow(stdout.rows || 24, stdout.columns || 80, 0, 0);
  const hangUp = () => channel.close();
  const toRemote = (chunk: Buffer) => channel.write(chunk);
  const toLocal = (chunk: Buffer) => stdout.write(chunk);
  return new Promise<number>((resolve, reject) => {
    let exit: { code: number | null; signal: string | null } | undefined;
    channel.on("exit", (code: number | null, signal?: string) => {
      exit = { code, signal: signal ?? null };
    });
    channel.on("data", toLocal);
    channel.stderr.on("data", toLocal);
    channel.on("close", (code?: number | null, signal?: string) => {
      stdin.off("data", toRemote);
      stdin.pause();
      process.off("SIGWINCH", resize);
      process.off("SIGTERM", hangUp);
      process.off("SIGHUP", hangUp);
      process.off("exit", restore);
      restore();
      const status = exit ?? (code === undefined ? undefined : { code, signal: signal ?? null });
      if (status) resolve(exitStatus(status.code, status.signal));
      else reject(connectionLost(`node ${nodeName}`));
    });
    stdin.setRawMode(true);
    stdin.on("data", toRemote);
    stdin.resume();
    process.on("SIGWINCH", resize);
    // Killed or hung up here: end the remote shell (the pty's hangup) and restore on close.
    process.on("SIGTERM", hangUp);
    process.on("SIGHUP", hangUp);
    resize();
  });
}
