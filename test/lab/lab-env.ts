// What end-to-end tests share: the one lab (brought up once, idempotently) and the real tools a
// user would point at it: kubectl, OpenSSH, tshark, podcap's own CLI.

import { type ExecFileSyncOptions, execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { paths, REPO_DIR } from "../../scripts/labkit/layout.js";

export { paths as labPaths, REPO_DIR };

export function ensureLab(): void {
  execFileSync(`${REPO_DIR}/scripts/lab`, ["up"], { cwd: REPO_DIR, stdio: ["ignore", "ignore", "inherit"] });
}

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(file: string, args: string[], options: ExecFileSyncOptions = {}): Ran {
  const result = spawnSync(file, args, { cwd: REPO_DIR, encoding: "utf8", timeout: 120_000, ...options });
  return {
    code: result.status ?? -1,
    stdout: String(result.stdout ?? ""),
    stderr: String(result.stderr ?? ""),
  };
}

export const kubectl = (...args: string[]) => run("kubectl", ["--kubeconfig", paths.kubeconfig, ...args]);
export const labSsh = (node: string, command: string) => run("ssh", ["-F", paths.sshConfig, node, command]);
export const podcap = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, [`${REPO_DIR}/bin/podcap.js`, ...args], {
    env: { ...process.env, KUBECONFIG: paths.kubeconfig, PODCAP_INVENTORY: paths.inventory, ...env },
  });
export const lab = (...args: string[]) => run(`${REPO_DIR}/scripts/lab`, args);

export interface LabPod {
  namespace: string;
  name: string;
  node: string;
  ip: string;
  phase: string;
  labels: Record<string, string>;
  containerIds: string[];
}

/** The pods as the API stand-in serves them, read with the real kubectl. */
export function labPods(): LabPod[] {
  const list = JSON.parse(kubectl("get", "pods", "-A", "-o", "json").stdout);
  // biome-ignore lint/suspicious/noExplicitAny: kubectl's JSON, read field by field below
  return list.items.map((p: any) => ({
    namespace: p.metadata.namespace,
    name: p.metadata.name,
    node: p.spec.nodeName,
    ip: p.status.podIP,
    phase: p.status.phase,
    labels: p.metadata.labels ?? {},
    containerIds: (p.status.containerStatuses ?? []).map((c: { containerID: string }) => c.containerID),
  }));
}

export function podNamed(prefix: string, namespace = "demo"): LabPod {
  const pod = labPods().find((p) => p.namespace === namespace && p.name.startsWith(prefix));
  if (!pod) throw new Error(`no lab pod ${namespace}/${prefix}*`);
  return pod;
}

/** The host PID of a container's process (docker://ID or containerd://ID), asked of its runtime. */
export function containerPid(containerId: string): number {
  const [runtime, id = ""] = containerId.split("://");
  if (runtime === "docker")
    return Number(run("docker", ["inspect", "-f", "{{.State.Pid}}", id]).stdout.trim());
  const tasks = run("ctr", ["--address", paths.containerdSocket, "-n", "k8s.io", "task", "ls"]).stdout;
  return Number((tasks.split("\n").find((line) => line.startsWith(id)) ?? "").trim().split(/\s+/)[1]);
}

/** The host PID of a lab pod's first container. */
export const podPid = (pod: LabPod): number => containerPid(pod.containerIds[0] ?? "");

/**
 * HTTP GETs from the client pod to a pod, so a capture sees traffic of its own whatever the
 * background loop is doing (with many pods its round takes longer than a short capture).
 */
export function requestFrom(clientPod: LabPod, to: LabPod, times = 3): void {
  const wget = ["nsenter", "-n", "-t", String(podPid(clientPod)), "busybox", "wget", "-q", "-O", "-"];
  for (let i = 0; i < times; i++) run("timeout", ["3", ...wget, `http://${to.ip}/`]);
}

/** tshark's one-line-per-packet view of a capture file; throws when the file does not read to the end. */
export function tsharkLines(file: string, ...args: string[]): string[] {
  const result = run("tshark", ["-r", file, ...args]);
  if (result.code !== 0) throw new Error(`tshark cannot read ${file}: ${result.stderr}`);
  return result.stdout.split("\n").filter(Boolean);
}

/** SSH logins every lab sshd has accepted so far: unchanged means nothing ran on any node. */
export function sshLogins(): number {
  return readdirSync(paths.logs)
    .filter((f) => f.startsWith("sshd-"))
    .map((f) => readFileSync(join(paths.logs, f), "utf8").split("Accepted publickey").length - 1)
    .reduce((a, b) => a + b, 0);
}

/** What a capture could leave on a node (all lab nodes share this machine): wrapper, tcpdump, nsenter, records. */
export function nodeLeftovers(): string[] {
  const processes = run("ps", ["-eo", "pid=,args="])
    .stdout.split("\n")
    .filter((line) => /podcap-capture|tcpdump -i|nsenter -n -t/.test(line) && !line.includes("ps -eo"));
  const records = run("sh", ["-c", "ls -A /run/podcap 2>/dev/null"]).stdout.split("\n").filter(Boolean);
  return [...processes, ...records.map((r) => `/run/podcap/${r}`)];
}

/** Polls until the node holds nothing of a capture, or returns what is still there. */
export async function settledLeftovers(timeoutMs = 15_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let left = nodeLeftovers();
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    left = nodeLeftovers();
  }
  return left;
}

export interface RunningPodcap {
  child: import("node:child_process").ChildProcess;
  /** Resolves once podcap says tcpdump is listening. */
  listening: Promise<void>;
  /** Resolves once podcap has said "listening on" this many times (one per pod when fanning out). */
  listeningTimes(count: number): Promise<void>;
  exited: Promise<Ran>;
}

/** Starts podcap in the background, as a user at a terminal would, and watches its stderr. */
export async function startPodcap(args: string[]): Promise<RunningPodcap> {
  const { spawn } = await import("node:child_process");
  const child = spawn(process.execPath, [`${REPO_DIR}/bin/podcap.js`, ...args], {
    cwd: REPO_DIR,
    env: { ...process.env, KUBECONFIG: paths.kubeconfig, PODCAP_INVENTORY: paths.inventory },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const listeningTimes = (count: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (stderr.split("listening on").length - 1 >= count) resolve();
      };
      check();
      child.stderr?.on("data", check);
      child.on("exit", () => reject(new Error(`podcap exited before listening ${count} times: ${stderr}`)));
    });
  const listening = listeningTimes(1);
  listening.catch(() => {});
  const exited = new Promise<Ran>((resolve) =>
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
  return { child, listening, listeningTimes, exited };
}
