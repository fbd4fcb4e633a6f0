// What the lab benchmarks share: the lab itself (up, idempotently), the environment a user of it
// has, and a child process timed until it says something on stderr ("listening on"), the way a
// person at a terminal waits for it.

import { type ChildProcess, spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { ensureLab, labPaths, REPO_DIR } from "../../test/lab/lab-env.js";

export { kubectl, labPods, podNamed, podPid, REPO_DIR } from "../../test/lab/lab-env.js";

export const labEnv = {
  ...process.env,
  KUBECONFIG: labPaths.kubeconfig,
  PODCAP_INVENTORY: labPaths.inventory,
};
export const sshConfig = labPaths.sshConfig;
export const podcapBin = `${REPO_DIR}/bin/podcap.js`;

export function labUp(): void {
  ensureLab();
}

const SAY_WITHIN_S = 120;

export interface Waiting {
  child: ChildProcess;
  /** Seconds from the spawn until stderr had said `pattern` `times` times. */
  said: Promise<number>;
  stderr(): string;
  /** What it printed on stdout, when spawned with stdout "pipe". */
  stdout(): string;
  exited: Promise<number>;
}

/** Spawns `argv` and times it until its stderr has matched `pattern` `times` times. */
export function spawnUntil(
  argv: string[],
  pattern: RegExp,
  options: { times?: number; stdout?: "ignore" | "pipe" | number; env?: NodeJS.ProcessEnv } = {},
): Waiting {
  const [command = "", ...args] = argv;
  const start = performance.now();
  const child = spawn(command, args, {
    env: options.env ?? labEnv,
    stdio: ["ignore", options.stdout ?? "ignore", "pipe"],
  });
  let stderr = "";
  let stdout = "";
  child.stdout?.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
  });
  const exited = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));
  const said = new Promise<number>((resolve, reject) => {
    const global = new RegExp(pattern.source, "g");
    child.stderr?.setEncoding("utf8").on("data", (text: string) => {
      stderr += text;
      if ((stderr.match(global)?.length ?? 0) >= (options.times ?? 1))
        resolve((performance.now() - start) / 1000);
    });
    exited.then((code) => reject(new Error(`${argv.join(" ")} exited ${code} before ${pattern}: ${stderr}`)));
    // A run that never says it is a failed run, not a hung benchmark.
    setTimeout(() => {
      child.kill("SIGINT");
      reject(
        new Error(
          `${argv.join(" ")} did not say ${pattern} ${options.times ?? 1} times in ${SAY_WITHIN_S} s:\n${stderr}`,
        ),
      );
    }, SAY_WITHIN_S * 1000).unref();
  });
  said.catch(() => {});
  return { child, said, stderr: () => stderr, stdout: () => stdout, exited };
}

/** Asks a child to stop as Ctrl-C would, and waits for it. */
export async function interrupt(waiting: Waiting): Promise<number> {
  waiting.child.kill("SIGINT");
  return waiting.exited;
}
