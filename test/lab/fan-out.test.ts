// Many pods at once on the lab, checked as a user would: one pcapng that tshark reads to the end,
// its packets in time order, one interface per pod named namespace/pod/iface with the node in its
// description; a failing target does not stop the others; --split; --follow picks up a new pod
// and re-attaches a restarted container; nothing is left on any node.

import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureLab, lab, labPods, podcap, settledLeftovers, startPodcap, tsharkLines } from "./lab-env.js";

const dir = mkdtempSync(join(tmpdir(), "podcap-fanout-"));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const joiner = `web-6b7f9d8c5-j${randomBytes(2).toString("hex")}`;
beforeAll(ensureLab);
afterAll(() => {
  lab("pod", "delete", "demo", joiner);
});

const webPods = () =>
  labPods().filter((p) => p.namespace === "demo" && p.labels.app === "web" && p.phase === "Running");

/** Interface name and capture time of every packet, in file order. */
function packets(file: string): { iface: string; time: number; src: string; dst: string }[] {
  return tsharkLines(
    file,
    "-T",
    "fields",
    "-e",
    "frame.interface_name",
    "-e",
    "frame.time_epoch",
    "-e",
    "ip.src",
    "-e",
    "ip.dst",
  ).map((line) => {
    const [iface = "", time = "", src = "", dst = ""] = line.split("\t");
    return { iface, time: Number(time), src, dst };
  });
}

function expectTimeOrder(times: number[]): void {
  const outOfOrder = times.filter((t, i) => i > 0 && t < (times[i - 1] as number));
  expect(outOfOrder).toEqual([]);
}

describe("podcap capture of many pods", () => {
  it("captures -l app=web on every node into one time-ordered pcapng named by pod", async () => {
    const web = webPods();
    expect(new Set(web.map((p) => p.node)).size).toBeGreaterThanOrEqual(2);
    const file = join(dir, "web.pcapng");
    const out = podcap([
      "capture",
      "-l",
      "app=web",
      "-n",
      "demo",
      "-f",
      "tcp port 80",
      "-d",
      "4s",
      "-o",
      file,
      "--json",
    ]);
    expect(out.code, out.stderr).toBe(0);
    const summary = JSON.parse(out.stdout);
    expect(summary.targets).toHaveLength(web.length);
    for (const target of summary.targets)
      expect(target).toMatchObject({ status: "captured", stopReason: "duration" });
    const seen = packets(file);
    expectTimeOrder(seen.map((p) => p.time));
    expect(summary.packets).toBe(seen.length);
    for (const pod of web) {
      const mine = seen.filter((p) => p.iface === `demo/${pod.name}/eth0`);
      expect(mine.length, pod.name).toBeGreaterThan(0);
      expect(mine.every((p) => p.src === pod.ip || p.dst === pod.ip)).toBe(true);
    }
    const descriptions = tsharkLines(file, "-T", "fields", "-e", "frame.interface_description").join("\n");
    for (const node of new Set(web.map((p) => p.node))) expect(descriptions).toContain(`node ${node}`);
    expect(await settledLeftovers()).toEqual([]);
  });

  it.each([["deploy/web"], ["svc/web"], ["rs/web-6b7f9d8c5"]])("captures the pods behind %s", async (ref) => {
    const file = join(dir, `${ref.replace("/", "-")}.pcapng`);
    const out = podcap(["capture", ref, "-n", "demo", "-d", "2s", "-o", file, "--json"]);
    expect(out.code, out.stderr).toBe(0);
    const names = JSON.parse(out.stdout).targets.map((t: { pod: string }) => t.pod);
    expect(names.sort()).toEqual(
      webPods()
        .map((p) => p.name)
        .sort(),
    );
    expect(new Set(packets(file).map((p) => p.iface)).size).toBe(names.length);
  });

  it("goes on when one target fails, and says so in the exit code and per target", async () => {
    const [first] = webPods();
    const file = join(dir, "partial.pcapng");
    const out = podcap([
      "capture",
      first?.name as string,
      "web-6b7f9d8c5-nosuch",
      "-n",
      "demo",
      "-d",
      "2s",
      "-o",
      file,
      "--json",
    ]);
    expect(out.code, out.stderr).toBe(10);
    const targets = JSON.parse(out.stdout).targets;
    expect(targets.find((t: { status: string }) => t.status === "captured").pod).toBe(first?.name);
    expect(targets.find((t: { status: string }) => t.status === "failed").error.type).toBe("PodNotFound");
    expect(new Set(packets(file).map((p) => p.iface))).toEqual(new Set([`demo/${first?.name}/eth0`]));
  });

  it("writes one pcap per pod with --split", async () => {
    const split = join(dir, "split");
    const out = podcap(["capture", "-l", "app=web", "-n", "demo", "--split", "-d", "2s", "-o", split]);
    expect(out.code, out.stderr).toBe(0);
    const files = readdirSync(split);
    expect(files.sort()).toEqual(
      webPods()
        .map((p) => expect.stringMatching(new RegExp(`^demo_${p.name}_.*\\.pcap$`)))
        .sort(),
    );
    for (const name of files) expect(tsharkLines(join(split, name)).length).toBeGreaterThan(0);
  });

  it("follows: a new pod joins, a restarted container is re-attached, a deleted pod ends cleanly", async () => {
    const web = webPods();
    const restarted = web[0]?.name as string;
    const file = join(dir, "follow.pcapng");
    const capture = await startPodcap([
      "capture",
      "-l",
      "app=web",
      "-n",
      "demo",
      "--follow",
      "-o",
      file,
      "--json",
    ]);
    await capture.listeningTimes(web.length);
    expect(lab("pod", "add-web", joiner.replace("web-6b7f9d8c5-", ""), "node-d").code).toBe(0);
    await capture.listeningTimes(web.length + 1);
    expect(lab("pod", "restart", "demo", restarted, "web").code).toBe(0);
    await capture.listeningTimes(web.length + 2);
    await sleep(2500);
    expect(lab("pod", "delete", "demo", joiner).code).toBe(0);
    await sleep(2000);
    capture.child.kill("SIGINT");
    const result = await capture.exited;
    expect(result.code, result.stderr).toBe(0);
    const targets: { pod: string; status: string; stopReason: string; packets: number }[] = JSON.parse(
      result.stdout,
    ).targets;
    const ofRestarted = targets.filter((t) => t.pod === restarted);
    expect(ofRestarted.map((t) => t.stopReason)).toEqual(["target-gone", "interrupted"]);
    expect(ofRestarted[1]?.packets).toBeGreaterThan(0);
    expect(targets.find((t) => t.pod === joiner)?.stopReason).toBe("target-gone");
    const seen = packets(file);
    expectTimeOrder(seen.map((p) => p.time));
    expect(seen.some((p) => p.iface === `demo/${joiner}/eth0`)).toBe(true);
    expect(await settledLeftovers()).toEqual([]);
  }, 150_000);
});
