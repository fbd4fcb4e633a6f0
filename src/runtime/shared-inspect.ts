// The pods a fan-out starts with on one node ask the node's runtime together: one
// `docker container inspect` naming all their containers (or one `ctr task ls`), run by the
// first pod's wrapper, and where that runtime cannot tell, each runtime tried next asked once
// for all of them. Asked apart, 32 pods on 4 nodes started 32 to 64 runtime CLIs at once, each
// ~0.1 s of CPU. Only for the pods of the start: one that joins later (--follow) asks for itself,
// so no answer it gets is older than its container.

import type { SshTarget } from "../inventory/ssh-target.js";
import type { ContainerRef } from "../kube/pod-target.js";
import { chooseStrategies } from "./choose-strategies.js";
import { assertContainerId } from "./container-id.js";
import type { ExecResult, RemoteExec } from "./locate.js";

/** How one pod's capture asks the first runtime: its wrapper runs `argv` (maybe nothing). */
export interface FirstInspect {
  argv: string[];
  /** The first runtime's answer, given what this pod's own wrapper reports. */
  answer(own: Promise<ExecResult | undefined>): Promise<ExecResult | undefined>;
  /** Runs the runtimes tried next. */
  exec: RemoteExec;
}

/** The first runtime's inspect for one pod alone, run by its own wrapper. */
export function ownFirstInspect(target: SshTarget, container: ContainerRef, exec: RemoteExec): FirstInspect {
  const [first] = chooseStrategies(container.scheme, target.runtimes);
  const argv = first?.inspectArgv(assertContainerId(container.id), target.sockets, container.scheme) ?? [];
  return { argv, answer: (own) => own, exec };
}

export class SharedInspect {
  readonly #ids: Set<string>;
  readonly #batch: string[] | undefined;
  readonly #asked = new Map<string, Promise<ExecResult>>();
  #carrier = false;
  #carried: (answer: Promise<ExecResult | undefined>) => void = () => {};
  readonly #answer = new Promise<ExecResult | undefined>((resolve) => {
    this.#carried = (answer) => answer.then(resolve, () => resolve(undefined));
  });

  constructor(
    private readonly target: SshTarget,
    containers: readonly ContainerRef[],
    private readonly exec: RemoteExec,
  ) {
    this.#ids = new Set(containers.map((c) => c.id));
    this.#batch = batchArgv(target, containers);
  }

  /** The first of the node's pods to ask carries the batch; the others wait for its answer. */
  first(container: ContainerRef): FirstInspect {
    if (!this.#ids.has(container.id)) return ownFirstInspect(this.target, container, this.exec);
    const exec = this.#askOnce;
    if (this.#batch === undefined) return ownFirstInspect(this.target, container, exec);
    if (this.#carrier) return { argv: [], answer: () => this.#answer, exec };
    this.#carrier = true;
    return {
      argv: this.#batch,
      answer: (own) => {
        this.#carried(own);
        return own;
      },
      exec,
    };
  }

  /** The same argv asked once for every pod of the start (`ctr task ls` lists them all). */
  readonly #askOnce: RemoteExec = (argv, options) => {
    const key = JSON.stringify([argv, options.sudo]);
    let asked = this.#asked.get(key);
    if (!asked) {
      asked = this.exec(argv, options);
      this.#asked.set(key, asked);
    }
    return asked;
  };
}

/** One argv that answers for all the containers, when their first runtime can say it. */
function batchArgv(target: SshTarget, containers: readonly ContainerRef[]): string[] | undefined {
  const [one] = containers;
  if (one === undefined || containers.some((c) => c.scheme !== one.scheme)) return undefined;
  try {
    const [first] = chooseStrategies(one.scheme, target.runtimes);
    const ids = [...new Set(containers.map((c) => assertContainerId(c.id)))];
    return first?.inspectManyArgv?.(ids, target.sockets, one.scheme);
  } catch {
    return undefined; // each pod's own start says what is wrong
  }
}
