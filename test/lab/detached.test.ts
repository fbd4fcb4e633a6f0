// Long captures on the lab's nodes: --detach returns at once and the capture outlives the SSH
// connection; rotation keeps at most --keep files of --rotate-size; ls, fetch (completed files
// while running, everything with --merge after stop), stop --delete leaving nothing; a pod deleted
// mid-capture ends it and ls says why.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureLab, lab, labPods, podcap, podNamed, podPid, run, tsharkLines } from "./lab-env.js";

const dir = mkdtempSync(join(tmpdir(), "podcap-detached-"));
const CAPTURES = "/var/lib/podcap/captures";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const doomed = `web-6b7f9d8c5-d${randomBytes(2).toString("hex")}`;
beforeAll(ensureLab);
afterAll(() => {
  lab("pod", "delete", "demo", doomed);
});

const pidOf = (name: string) => {
  const pod = labPods().find((p) => p.name === name);
  if (!pod) throw new Error(`no lab pod ${name}`);
  return String(podPid(pod));
};

/** About `megabytes` MB of TCP from the client pod to a web pod, through busybox nc in both netns. */
async function bulk(webName: string, webIp: string, megabytes: number): Promise<void> {
  const server = spawn("nsenter", ["-n", "-t", pidOf(webName), "busybox", "nc", "-l", "-p", "9000"], {
    // Its stdin stays open: busybox nc drops the connection once its own input ends.
    stdio: ["pipe", "ignore", "ignore"],
  });
  await sleep(300);
  const clientPid = pidOf(podNamed("client-").name);
  const send = run("sh", [
    "-c",
    `head -c ${megabytes * 1_000_000} /dev/zero | nsenter -n -t ${clientPid} busybox nc -w 2 ${webIp} 9000`,
  ]);
  expect(send.code, send.stderr).toBe(0);
  server.kill();
}

const json = (out: { code: number; stdout: string; stderr: string }) => {
  expect(out.code, out.stderr).toBe(0);
  return JSON.parse(out.stdout);
};

describe("podcap capture --detach", () => {
  it("rotates within files x size, lists, fetches, stops and deletes, leaving nothing", async () => {
    const web = podNamed("web-");
    const started = json(
      podcap(["capture", web.name, "--detach", "--rotate-size", "1MB", "--keep", "3", "--json"]),
    );
    expect(started.node).toBe(web.node);
    const id: string = started.id;
    const files = join(CAPTURES, id);
    expect(statSync(files).mode & 0o777).toBe(0o700);
    await bulk(web.name, web.ip, 5);
    await sleep(2500);
    const pcaps = readdirSync(files).filter((f) => f.endsWith(".pcap") || /\.pcap\d+$/.test(f));
    expect(pcaps.length).toBeLessThanOrEqual(3);
    expect(pcaps.length).toBeGreaterThanOrEqual(2);
    const sizes = pcaps.map((f) => statSync(join(files, f)).size);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3 * (1_000_000 + 70_000));
    for (const f of pcaps) expect(statSync(join(files, f)).mode & 0o777).toBe(0o600);

    const listed = json(podcap(["ls", "-n", "demo", "--json"])).captures.filter(
      (c: { id: string }) => c.id === id,
    );
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ pod: web.name, node: web.node, state: "running" });

    const early = podcap(["fetch", id, "-o", join(dir, "early")]);
    expect(early.code, early.stderr).toBe(0);
    expect(early.stderr).toContain("tcpdump is still writing it");
    expect(readdirSync(join(dir, "early")).length).toBe(pcaps.length - 1);

    expect(podcap(["stop", id]).code).toBe(0);
    const fetched = podcap(["fetch", id, "-o", join(dir, "all"), "--merge"]);
    expect(fetched.code, fetched.stderr).toBe(0);
    const merged = join(dir, "all", `${id}.pcapng`);
    // Only the newest --keep files are left, and segments may be large (TSO): some of the flow, read.
    expect(tsharkLines(merged, "-Y", "tcp.port == 9000").length).toBeGreaterThan(100);

    expect(podcap(["stop", id, "--delete"]).code).toBe(0);
    expect(existsSync(files)).toBe(false);
    expect(run("sh", ["-c", `ps -eo args | grep -c "[${id[0]}]${id.slice(1)}"`]).stdout.trim()).toBe("0");
  }, 120_000);

  it("ends when the pod is deleted, and ls says so", async () => {
    expect(lab("pod", "add-web", doomed.replace("web-6b7f9d8c5-", ""), "node-a").code).toBe(0);
    for (let i = 0; i < 40 && !labPods().some((p) => p.name === doomed && p.phase === "Running"); i++)
      await sleep(250);
    const id: string = json(podcap(["capture", doomed, "--detach", "--json"])).id;
    expect(lab("pod", "delete", "demo", doomed).code).toBe(0);
    await sleep(3000);
    const listed = json(podcap(["ls", "-n", "demo", "--json"])).captures.find(
      (c: { id: string }) => c.id === id,
    );
    expect(listed?.state).toBe("pod-gone");
    expect(podcap(["stop", id, "--delete"]).code).toBe(0);
    expect(existsSync(join(CAPTURES, id))).toBe(false);
  }, 90_000);

  it("refuses a capture ID that walks out of its directory, before any connection", () => {
    for (const id of ["../x", "node-a/../../etc", "-rf"]) {
      const out = podcap(["fetch", "--", id]);
      expect(out.code, out.stderr).toBe(2);
      expect(out.stderr).toContain("invalid capture ID");
    }
  });
});
