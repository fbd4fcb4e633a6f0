// The live wrapper's vantage points (src/capture/vantage.ts), run as root the way a node runs it:
// a "pod" netns wired to this machine by a veth pair, as a CNI bridge plugin wires one, pinged
// across the pair. The host end is found by the node alone, through the pod interface's peer index.

import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { tsharkRead } from "../unit/pcap-tools.js";
import { expectNothingLeft, expectStopped } from "./wrapper-expect.js";
import { cleanUp, onCleanUp, readRecord, startTarget, startWrapper, type Target } from "./wrapper-harness.js";

const run = promisify(execFile);

afterEach(cleanUp);

let subnet = 0;
/** A target whose eth0 is one end of a veth pair; the other end stays here, like a CNI's. */
async function targetWithVeth(): Promise<Target & { hostEnd: string; hostIp: string }> {
  const target = await startTarget();
  const hostEnd = `pcv${process.pid % 10000}x${++subnet}`;
  const net = `10.199.${(process.pid + subnet) % 250}`;
  execFileSync("ip", [
    "link",
    "add",
    hostEnd,
    "type",
    "veth",
    "peer",
    "name",
    "eth0",
    "netns",
    target.namespace,
  ]);
  onCleanUp(() => execFileSync("ip", ["link", "del", hostEnd]));
  execFileSync("ip", ["addr", "add", `${net}.1/30`, "dev", hostEnd]);
  execFileSync("ip", ["link", "set", hostEnd, "up"]);
  execFileSync("ip", ["-n", target.namespace, "addr", "add", `${net}.2/30`, "dev", "eth0"]);
  execFileSync("ip", ["-n", target.namespace, "link", "set", "eth0", "up"]);
  return { ...target, hostEnd, hostIp: `${net}.1` };
}

const pingAcross = (target: Target & { hostIp: string }, count: number) =>
  run("ip", [
    "netns",
    "exec",
    target.namespace,
    "busybox",
    "ping",
    "-q",
    "-c",
    String(count),
    "-i",
    "0.05",
    target.hostIp,
  ]);

describe("remote wrapper vantage points", () => {
  it("veth: listens on the host end of the pod's eth0 and sees what the pod sends", async () => {
    const target = await targetWithVeth();
    const wrapper = startWrapper({ targetPid: target.pid, vantage: { vantage: "veth", iface: "eth0" } });
    await wrapper.ready;
    const record = await readRecord(wrapper.id);
    expect(record).toMatchObject({ where: "veth", iface: target.hostEnd });
    expect(wrapper.stderr()).toContain(`listening on ${target.hostEnd}`);
    await pingAcross(target, 5);
    wrapper.closeStdin();
    expect((await wrapper.exited).code).toBe(0);
    expectStopped(wrapper, "stdin-closed", 0);
    const read = tsharkRead(wrapper.stdout());
    expect(read.rows.map(([, type]) => type)).toEqual(Array.from({ length: 5 }, () => ["8", "0"]).flat());
    expectNothingLeft(wrapper, target, Number(record.group));
  });

  it("node: listens on a named interface of the node's own namespace", async () => {
    const target = await targetWithVeth();
    const wrapper = startWrapper({
      targetPid: target.pid,
      vantage: { vantage: "node", iface: target.hostEnd },
    });
    await wrapper.ready;
    expect(await readRecord(wrapper.id)).toMatchObject({ where: "node", iface: target.hostEnd });
    await pingAcross(target, 3);
    wrapper.closeStdin();
    expect((await wrapper.exited).code).toBe(0);
    expect(tsharkRead(wrapper.stdout()).rows).toHaveLength(6);
  });

  it("veth of an interface that is no veth (lo): says so, exits 79, leaves nothing", async () => {
    const target = await startTarget();
    const wrapper = startWrapper({ targetPid: target.pid, vantage: { vantage: "veth", iface: "lo" } });
    const exit = await wrapper.exited;
    expect(exit.code).toBe(79);
    expect(wrapper.stderr()).toContain("podcap-wrapper: vantage-unresolved veth");
    expectNothingLeft(wrapper, target);
  });
});
