// `podcap exec`: one node command in the pod's network namespace, without a pty (stdout and
// stderr stay apart), streamed as it comes, ending with the command's exit code as a shell would
// give it (128+N for a signal). The runner starts as soon as the node is reached and receives the
// PID on its stdin once the runtime has answered, so the node's login shell costs nothing extra.

import { constants } from "node:os";
import type { Readable, Writable } from "node:stream";
import type { ClientChannel } from "ssh2";
import { UsageError } from "../errors.js";
import { connectionLost } from "../ssh/connect-errors.js";
import { signalRemote } from "../ssh/node-session.js";
import { pidLine, runnerArgv, runnerFailure } from "./netns-runner.js";
import { type PodNetnsRequest, type PodNodeHooks, withPodOnNode } from "./pod-on-node.js";
import { RunnerStderr } from "./runner-stderr.js";

export interface ExecRequest extends PodNetnsRequest {
  /** The argv to run on the node, in the pod's network namespace. */
  command: readonly string[];
  /** Hard limit on the node (`--node-limit`); default one hour. */
  limitSeconds?: number;
}

export interface ExecIo {
  stdout: Writable;
  stderr: Writable;
  /** Given: passed to the command's stdin (`-i`); else the command reads an empty stdin. */
  stdin?: Readable;
  /** Hands over a function that stops the remote command (Ctrl-C); a second call is harder. */
  onRunning?(stop: () => void): void;
}

const DEFAULT_LIMIT_SECONDS = 3600;
/** After each stop signal, how long the command gets before the next, harder one. */
const STOP_GRACE_MS = 2_000;

/** Refuses an empty command: nothing runs anywhere without one. */
export function assertCommand(command: readonly string[]): readonly string[] {
  if (command.length === 0 || command[0] === "")
    throw new UsageError(
      "no command to run in the pod's network namespace",
      "give it after --, e.g. podcap exec POD -- ip addr",
    );
  return command;
}

/** A command's end as a shell reports it: its code, or 128 + the signal's number. */
export function exitStatus(code: number | null | undefined, signal: string | null | undefined): number {
  if (typeof code === "number") return code;
  const number = signal ? constants.signals[`SIG${signal}` as keyof typeof constants.signals] : undefined;
  return 128 + (number ?? 0);
}

/** Runs the command and resolves to its exit code; podcap's own failures throw PodcapErrors. */
export async function execInPod(request: ExecRequest, io: ExecIo, hooks: PodNodeHooks = {}): Promise<number> {
  const command = assertCommand(request.command);
  let channel: Promise<ClientChannel> | undefined;
  return withPodOnNode(
    request,
    {
      action: "exec",
      command,
      exitCodeOf: (code) => code,
      run: async (node) => {
        const opened = await (channel as Promise<ClientChannel>);
        opened.write(pidLine(node.located.pid));
        return streamToEnd(opened, io, node.pod.nodeName);
      },
    },
    {
      ...hooks,
      onReached(session, target) {
        hooks.onReached?.(session, target);
        channel = session.spawn(
          runnerArgv({
            command,
            limitSeconds: request.limitSeconds ?? DEFAULT_LIMIT_SECONDS,
            stdin: io.stdin !== undefined,
          }),
          { sudo: target.sudo },
        );
        // A locate failure closes the session, and with it this channel: nothing to await then.
        channel.catch(() => undefined);
      },
    },
  );
}

function streamToEnd(channel: ClientChannel, io: ExecIo, nodeName: string): Promise<number> {
  const stderr = new RunnerStderr((chunk) => io.stderr.write(chunk));
  return new Promise<number>((resolve, reject) => {
    let graceTimer: NodeJS.Timeout | undefined;
    let exit: { code: number | null; signal: string | null } | undefined;
    channel.on("exit", (code: number | null, signal?: string) => {
      exit = { code, signal: signal ?? null };
      channel.end(); // the runner has gone: its watcher's stdin may close
    });
    channel.on("data", (chunk: Buffer) => {
      // Backpressure: a slow reader (a pager, a full pipe) slows the remote command, not memory.
      if (!io.stdout.write(chunk)) {
        channel.pause();
        io.stdout.once("drain", () => channel.resume());
      }
    });
    channel.stderr.on("data", (chunk: Buffer) => stderr.write(chunk));
    channel.on("close", (code?: number | null, signal?: string) => {
      clearTimeout(graceTimer);
      stderr.end();
      io.stdin?.unpipe(channel);
      const status = exit ?? (code === undefined ? undefined : { code, signal: signal ?? null });
      if (!status) {
        reject(connectionLost(`node ${nodeName}`));
        return;
      }
      const failure = runnerFailure(status.code, stderr.runnerLine, nodeName);
      if (failure) reject(failure);
      else resolve(exitStatus(status.code, status.signal));
    });
    // Without -i the command reads nothing and the channel's stdin is the runner's stop switch:
    // it stays open until a stop ends it. With -i it carries the user's stdin, and a stop is
    // signalled instead (sshd refuses signals to root logins: then the channel's close is all).
    if (io.stdin) io.stdin.pipe(channel);
    const ladder = ["INT", "TERM", "KILL"] as const;
    let step = 0;
    const escalate = () => {
      clearTimeout(graceTimer);
      step += 1;
      if (!io.stdin) {
        if (step === 1) channel.end();
        else channel.close();
        return;
      }
      const name = ladder[Math.min(step - 1, ladder.length - 1)] as (typeof ladder)[number];
      signalRemote(channel, name);
      if (name === "KILL") channel.close();
      else graceTimer = setTimeout(escalate, STOP_GRACE_MS);
    };
    io.onRunning?.(escalate);
  });
}
