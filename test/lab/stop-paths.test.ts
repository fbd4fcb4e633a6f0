// Every way a capture can end leaves nothing on the node (no wrapper, tcpdump or nsenter, no
// /run/podcap record) and a local pcap that tshark reads to the end.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ensureLab,
  type LabPod,
  lab,
  labSsh,
  podNamed,
  requestFrom,
  settledLeftovers,
  startPodcap,
  tsharkLines,
} from "./lab-env.js";

const dir = mkdtempSync(join(tmpdir(), "podcap-stop-"));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
beforeAll(ensureLab);
afterAll(() => {
  lab("pod", "delete", "demo", "web-6b7f9d8c5-gone1");
});

async function captureUntil(name: string, pod: LabPod, stop: (pid: number) => Promise<void> | void) {
  const file = join(dir, `${name}.pcap`);
  const capture = await startPodcap(["capture", pod.name, "-n", "demo", "-o", file, "--json"]);
  await capture.listening;
  requestFrom(podNamed("client-"), pod);
  await sleep(2000);
  await stop(capture.child.pid as number);
  const result = await capture.exited;
  expect(await settledLeftovers()).toEqual([]);
  expect(tsharkLines(file).length).toBeGreaterThan(0);
  return result;
}

describe("stop paths", () => {
  it("Ctrl-C stops cleanly with a summary", async () => {
    const result = await captureUntil("sigint", podNamed("web-"), (pid) => void process.kill(pid, "SIGINT"));
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).stopReason).toBe("interrupted");
  });

  it("podcap killed with SIGKILL: the node cleans up by itself", async () => {
    await captureUntil("sigkill", podNamed("web-"), (pid) => void process.kill(pid, "SIGKILL"));
  });

  it("sshd restarted, the SSH connection cut with it", async () => {
    const web = podNamed("web-");
    const result = await captureUntil("cut", web, () => {
      labSsh(web.node, "true");
      lab("restart-sshd", web.node);
    });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain("connection to");
    expect(JSON.parse(result.stdout).stopReason).toBe("connection-lost");
  });

  it("the pod deleted mid-capture ends the capture", async () => {
    expect(lab("pod", "add-web", "gone1", "node-b").code).toBe(0);
    await sleep(1500);
    const result = await captureUntil("deleted", podNamed("web-6b7f9d8c5-gone1"), () => {
      expect(lab("pod", "delete", "demo", "web-6b7f9d8c5-gone1").code).toBe(0);
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).stopReason).toMatch(/target-gone|tcpdump-exited/);
  });
});
