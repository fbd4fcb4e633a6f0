// The locate stage: container ID -> host PID, trying the node's runtimes in order over the one
// SSH connection. A tool that is missing or cannot reach its daemon falls through to the next;
// a refusal for want of privileges stops at once, since every other tool would meet it too.

import { AccessDenied, isPodcapError, RuntimeNotFound } from "../errors.js";
import type { RuntimeName, SshTarget } from "../inventory/ssh-target.js";
import type { ContainerRef } from "../kube/pod-target.js";
import { chooseStrategies } from "./choose-strategies.js";
import { assertContainerId, shortContainerId } from "./container-id.js";
import { classifyInspectFailure } from "./inspect-failure.js";

export interface ExecResult {
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
}

/** Runs one argv on the node, with sudo when asked; the SSH session provides it. */
export type RemoteExec = (argv: string[], options: { sudo: boolean }) => Promise<ExecResult>;

export interface Located {
  runtime: RuntimeName;
  pid: number;
}

/**
 * `firstAnswer`: the first runtime's answer when something else already asked it (a wrapper,
 * maybe for several containers at once: see shared-inspect.ts); undefined there means "ask it
 * yourself". A container the answer shows running is believed whatever the exit status: docker
 * exits 1 when any container it was asked about is unknown.
 */
export async function locateContainer(
  exec: RemoteExec,
  target: SshTarget,
  container: ContainerRef,
  firstAnswer?: Promise<ExecResult | undefined>,
): Promise<Located> {
  const id = assertContainerId(container.id);
  const tried: string[] = [];
  for (const [index, strategy] of chooseStrategies(container.scheme, target.runtimes).entries()) {
    const answered = index === 0 ? await firstAnswer : undefined;
    const result =
      answered ??
      (await exec(strategy.inspectArgv(id, target.sockets, container.scheme), { sudo: target.sudo }));
    const outcome = {
      exitCode: result.code,
      stdout: result.stdout.toString("utf8"),
      stderr: result.stderr.toString("utf8"),
    };
    if (result.code === 0 || (answered !== undefined && outcome.stdout !== "")) {
      try {
        return { runtime: strategy.name, pid: strategy.parsePid(outcome.stdout, id) };
      } catch (error) {
        if (!isPodcapError(error)) throw error;
        if (result.code === 0) {
          tried.push(`${strategy.name}: ${error.message}`);
          continue;
        }
      }
    }
    const failure = classifyInspectFailure(outcome);
    if (failure.kind === "denied") {
      throw new AccessDenied(
        `${strategy.name} on ${target.nodeName} needs privileges that ${target.user} does not have: ${failure.reason}`,
        target.sudo
          ? "allow this user `sudo -n` (NOPASSWD) for the runtime tools, nsenter and tcpdump"
          : "connect as root, or set `sudo: true` for this node in the inventory",
      );
    }
    tried.push(`${strategy.name}: ${failure.reason}`);
  }
  throw new RuntimeNotFound(
    `no runtime on ${target.nodeName} knows container ${shortContainerId(id)} (${container.name}): ${tried.join("; ")}`,
    "set the node's runtimes and socket paths in the inventory (k3s, microk8s and rke2 keep containerd elsewhere)",
  );
}
