// A bulk TCP flow through a lab pod, for the streaming benchmarks: busybox nc listening in the
// web pod's network namespace, fed from the client pod's, across two lab nodes. Both run here,
// entered with nsenter, since every lab node is a namespace of this machine.

import { spawn, spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { type LabPod, podNamed, podPid } from "../../test/lab/lab-env.js";

export interface FlowEnds {
  server: LabPod;
  client: LabPod;
  port: number;
}

export function flowEnds(serverName: string, port: number): FlowEnds {
  return { server: podNamed(serverName), client: podNamed("client-"), port };
}

/**
 * Sends `bytes` from the client to the server as fast as they go; resolves with the seconds taken
 * and the bytes the server received (busybox nc gives up on a flow idle for 2 s and still exits
 * 0, so a flow may end short: then `received` says so).
 */
export async function sendBulk(
  { server, client, port }: FlowEnds,
  bytes: number,
): Promise<{ seconds: number; received: number }> {
  // Its stdin stays open: busybox nc drops the connection once its own input ends. Its own group,
  // so that nc goes with the shell if it outstays the flow.
  const listener = spawn(
    "nsenter",
    ["-n", "-t", String(podPid(server)), "sh", "-c", 'busybox nc -l -p "$1" | wc -c', "sh", String(port)],
    { stdio: ["pipe", "pipe", "ignore"], detached: true },
  );
  let counted = "";
  listener.stdout.on("data", (chunk) => {
    counted += chunk;
  });
  const ended = new Promise((resolve) => listener.on("close", resolve));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const start = performance.now();
  const sent = spawnSync(
    "sh",
    [
      "-c",
      `head -c ${bytes} /dev/zero | nsenter -n -t ${podPid(client)} busybox nc -w 2 ${server.ip} ${port}`,
    ],
    { encoding: "utf8" },
  );
  const seconds = (performance.now() - start) / 1000;
  // The server's nc ends with the connection; wc then prints what came.
  await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 3000))]);
  if (listener.exitCode === null && listener.signalCode === null && listener.pid !== undefined)
    process.kill(-listener.pid, "SIGKILL");
  if (sent.status !== 0) throw new Error(`the bulk flow failed: ${sent.stderr}`);
  return { seconds, received: counted.trim() === "" ? Number.NaN : Number(counted.trim()) };
}

/**
 * Packets in a pcap or pcapng file, as capinfos counts them (it reads the file to the end). With
 * `lastMayBeCut`, a file whose last packet is cut short counts its whole ones (`cut` says so):
 * the hand workflow's file, whose tcpdump an interrupt may stop in the middle of a write.
 */
export function packetsIn(file: string, lastMayBeCut = false): { packets: number; cut: boolean } {
  const out = spawnSync("capinfos", ["-M", "-c", "-T", "-r", file], { encoding: "utf8" });
  const cut = out.status !== 0 && /cut short in the middle of a packet/.test(out.stderr);
  if (out.status !== 0 && !(cut && lastMayBeCut))
    throw new Error(`capinfos cannot read ${file} to the end: ${out.stderr}`);
  return { packets: Number(out.stdout.trim().split("\t").at(-1)), cut };
}

/** tcpdump's closing counts, from its stderr. */
export function tcpdumpCounts(stderr: string): { captured: number; droppedByKernel: number } {
  const count = (what: string) =>
    Number(stderr.match(new RegExp(`(\\d+) packets? ${what}`))?.[1] ?? Number.NaN);
  return { captured: count("captured"), droppedByKernel: count("dropped by kernel") };
}
