import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { SshTarget } from "../../src/inventory/ssh-target.js";
import type { ContainerRef } from "../../src/kube/pod-target.js";
import { type ExecResult, locateContainer } from "../../src/runtime/locate.js";
import { SharedInspect } from "../../src/runtime/shared-inspect.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/runtime/${name}`, import.meta.url), "utf8");

// The runtimes as an inventory lists them, the CLIs before the cgroup scan, so the batching of
// each CLI shows; the default order (the cgroup scan first) has a test of its own.
const target = (sockets: SshTarget["sockets"] = {}, runtimes = RUNTIMES_FIRST): SshTarget => ({
  nodeName: "node-a",
  host: "10.0.0.1",
  port: 22,
  user: "root",
  identityFiles: [],
  knownHostsFiles: [],
  jump: [],
  sudo: false,
  runtimes,
  sockets,
  tcpdumpPath: "tcpdump",
});
const container = (id: string, scheme: ContainerRef["scheme"] = "docker"): ContainerRef =>
  ({ name: "web", id, scheme }) as ContainerRef;
const answer = (stdout: string, code = 0, stderr = ""): ExecResult => ({
  code,
  stdout: Buffer.from(stdout),
  stderr: Buffer.from(stderr),
});
const RUNTIMES_FIRST: SshTarget["runtimes"] = ["docker", "crictl", "ctr", "cgroup"];
const A = "a".repeat(64);
const B = "b".repeat(64);
const C = "c".repeat(64);

describe("SharedInspect", () => {
  const noExec = async (): Promise<ExecResult> => {
    throw new Error("no exec expected");
  };

  it("gives the first pod one docker inspect naming every container, and the others its answer", async () => {
    const shared = new SharedInspect(target(), [container(A), container(B)], noExec);
    const carrier = shared.first(container(B));
    const other = shared.first(container(A));
    expect(carrier.argv).toEqual(["docker", "container", "inspect", A, B]);
    expect(other.argv).toEqual([]);
    const reported = answer("[]");
    const waiting = other.answer(Promise.resolve(undefined));
    expect(await carrier.answer(Promise.resolve(reported))).toBe(reported);
    expect(await waiting).toBe(reported);
  });

  it("by default gives the first pod one cgroup scan naming every container", async () => {
    const shared = new SharedInspect(target({}, []), [container(A), container(B, "containerd")], noExec);
    expect(shared.first(container(A)).argv.slice(3)).toEqual(["podcap-cgroup-scan", A]); // two schemes: alone
    const same = new SharedInspect(target({}, []), [container(A), container(B)], noExec);
    const argv = same.first(container(B)).argv;
    expect(argv.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(argv.slice(3)).toEqual(["podcap-cgroup-scan", A, B]);
    expect(same.first(container(A)).argv).toEqual([]);
  });

  it("lets the others ask for themselves when the carrier's wrapper never reports", async () => {
    const shared = new SharedInspect(target(), [container(A), container(B)], noExec);
    const carrier = shared.first(container(A));
    const other = shared.first(container(B));
    carrier.answer(Promise.reject(new Error("channel refused")));
    expect(await other.answer(Promise.resolve(undefined))).toBeUndefined();
  });

  it("asks a pod that was not there at the start on its own, with a fresh exec", async () => {
    let asked = 0;
    const exec = async () => {
      asked += 1;
      return answer("");
    };
    const shared = new SharedInspect(target(), [container(A)], exec);
    const late = shared.first(container(C));
    expect(late.argv).toEqual(["docker", "container", "inspect", C]);
    await late.exec(["ctr", "task", "ls"], { sudo: false });
    await late.exec(["ctr", "task", "ls"], { sudo: false });
    expect(asked).toBe(2);
  });

  it("asks the runtimes tried next once for all the pods of the start (crictl absent, then ctr)", async () => {
    const asked: string[][] = [];
    const exec = async (argv: string[]) => {
      asked.push(argv);
      return answer(argv[0] === "ctr" ? fixture("ctr-task-ls.txt") : "", argv[0] === "ctr" ? 0 : 127);
    };
    const containers = [container(A, "containerd"), container(B, "containerd")];
    const shared = new SharedInspect(target(), containers, exec);
    const [one, two] = containers.map((c) => shared.first(c));
    // crictl has no form for many containers: each wrapper runs its own.
    expect(one?.argv[0]).toBe("crictl");
    expect(two?.argv).toEqual(["crictl", "inspect", "--output", "json", B]);
    await Promise.all(
      [one, two].map((f) => f?.exec(["ctr", "--namespace", "k8s.io", "task", "ls"], { sudo: false })),
    );
    expect(asked).toEqual([["ctr", "--namespace", "k8s.io", "task", "ls"]]);
  });
});

describe("locateContainer with an answer for several containers", () => {
  const running = JSON.parse(fixture("docker-inspect-running.json"));
  const runningId: string = running[0].Id;

  it("believes a container the answer shows running though docker exited 1 for another", async () => {
    const batch = answer(JSON.stringify(running), 1, `Error: No such container: ${B}\n`);
    const located = await locateContainer(
      async () => answer("", 1, "no more asking\n"),
      target(),
      container(runningId),
      Promise.resolve(batch),
    );
    expect(located).toEqual({ runtime: "docker", pid: running[0].State.Pid });
  });

  it("gives the unknown container docker's own reason, then tries the cgroup scan", async () => {
    const batch = answer(JSON.stringify(running), 1, `Error: No such container: ${B}\n`);
    const tried: string[][] = [];
    await expect(
      locateContainer(
        async (argv) => {
          tried.push(argv);
          return answer("", 0);
        },
        target({}, ["docker", "cgroup"]),
        container(B),
        Promise.resolve(batch),
      ),
    ).rejects.toThrow(/docker: .*no such container|No such container/i);
    expect(tried.length).toBe(1);
  });
});
