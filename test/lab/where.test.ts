// Where on the path, on the lab: the same HTTP flow captured inside the pod and on the host end of
// its veth (and on the node's NIC) lands in one pcapng with one interface per vantage point; a
// single vantage point stays a plain pcap; refusals come before any SSH; nothing is left.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureLab, podcap, podNamed, settledLeftovers, sshLogins, tsharkLines } from "./lab-env.js";

const dir = mkdtempSync(join(tmpdir(), "podcap-where-"));
beforeAll(ensureLab);

/** Each packet's interface and TCP 4-tuple. */
function flows(file: string): { iface: string; tuple: string }[] {
  return tsharkLines(
    file,
    "-T",
    "fields",
    "-e",
    "frame.interface_name",
    "-e",
    "ip.src",
    "-e",
    "tcp.srcport",
    "-e",
    "ip.dst",
    "-e",
    "tcp.dstport",
  ).map((line) => {
    const [iface = "", ...tuple] = line.split("\t");
    return { iface, tuple: tuple.join(" ") };
  });
}

/** `podcap capture -n demo POD --where WHERE ...rest`. */
const captureAt = (pod: string, where: string, ...rest: string[]) =>
  podcap(["capture", "-n", "demo", pod, "--where", where, ...rest]);

describe("podcap capture --where", () => {
  it("captures one HTTP flow in the pod and on its veth at once, one interface each", async () => {
    const web = podNamed("web-6b7f9d8c5-k2x4p");
    const client = podNamed("client-");
    const file = join(dir, "pod-veth.pcapng");
    const out = captureAt(web.name, "pod,veth", "-f", "tcp port 80", "-d", "4s", "-o", file);
    expect(out.code, out.stderr).toBe(0);
    const seen = flows(file);
    const at = (iface: string) =>
      new Set(seen.filter((p) => p.iface === iface && p.tuple.includes(client.ip)).map((p) => p.tuple));
    const inPod = at(`demo/${web.name}/eth0`);
    const onVeth = at(`demo/${web.name}/veth(eth0)`);
    expect(inPod.size).toBeGreaterThan(0);
    expect(onVeth.size).toBeGreaterThan(0);
    // The same connections, seen twice: at least one 4-tuple is on both interfaces.
    expect([...inPod].filter((t) => onVeth.has(t)).length).toBeGreaterThan(0);
    expect(new Set(seen.map((p) => p.iface))).toEqual(
      new Set([`demo/${web.name}/eth0`, `demo/${web.name}/veth(eth0)`]),
    );
    expect(await settledLeftovers()).toEqual([]);
  });

  it("veth alone on the containerd node through sudo is a plain pcap of the pod's traffic", async () => {
    const web = podNamed("web-6b7f9d8c5-m7q9z");
    const file = join(dir, "veth.pcap");
    const out = captureAt(web.name, "veth", "-f", "tcp port 80", "-d", "3s", "-o", file, "--json");
    expect(out.code, out.stderr).toBe(0);
    const summary = JSON.parse(out.stdout);
    expect(summary.packets).toBeGreaterThan(0);
    expect(tsharkLines(file, "-T", "fields", "-e", "ip.addr").some((line) => line.includes(web.ip))).toBe(
      true,
    );
    expect(await settledLeftovers()).toEqual([]);
  });

  it("sees the flow on a named node interface (the NIC, after the pod's bridge)", async () => {
    const web = podNamed("web-6b7f9d8c5-k2x4p");
    const client = podNamed("client-");
    const file = join(dir, "pod-node.pcapng");
    const out = captureAt(
      web.name,
      "pod,node:eth0",
      "-f",
      `tcp port 80 and host ${client.ip}`,
      "-d",
      "3s",
      "-o",
      file,
    );
    expect(out.code, out.stderr).toBe(0);
    const ifaces = new Set(flows(file).map((p) => p.iface));
    expect(ifaces).toEqual(new Set([`demo/${web.name}/eth0`, `demo/${web.name}/node:eth0`]));
  });

  it("without a default route on the node, --where node says to name the interface (exit 8)", async () => {
    const web = podNamed("web-6b7f9d8c5-k2x4p");
    const out = captureAt(web.name, "node", "-d", "2s", "-o", join(dir, "n.pcap"));
    expect(out.code).toBe(8);
    expect(out.stderr).toMatch(/no default route/);
    expect(out.stderr).toMatch(/--where node:IFACE/);
    expect(await settledLeftovers()).toEqual([]);
  });

  it.each([
    [["--where", "bogus"], /--where takes pod, veth, node or any/],
    [["--where", "veth:eth0"], /--where veth takes no interface/],
    [["--where", "pod,veth", "--detach"], /--where does not go with --detach/],
  ])("refuses %j before any SSH (exit 2)", (args, message) => {
    const before = sshLogins();
    const out = podcap(["capture", "-n", "demo", "web-6b7f9d8c5-k2x4p", ...args, "-d", "1s"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(sshLogins()).toBe(before);
  });
});
