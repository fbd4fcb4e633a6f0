// `podcap capture` on the lab, as a user checks it: the pcap opens in tshark to the end and holds
// the client's HTTP flows, on every kind of node (docker as root, containerd through sudo, a node
// behind a jump host), and a sidecar pod is captured through its app container.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureLab, labPods, podcap, podNamed, run, settledLeftovers, tsharkLines } from "./lab-env.js";

const dir = mkdtempSync(join(tmpdir(), "podcap-capture-"));
beforeAll(ensureLab);

describe("podcap capture", () => {
  it.each(["node-a", "node-b", "node-c"])("captures the client's HTTP to the web pod on %s", async (node) => {
    const pod = labPods().find((p) => p.labels.app === "web" && p.node === node);
    if (!pod) throw new Error(`no web pod on ${node}`);
    const client = podNamed("client-");
    const file = join(dir, `${node}.pcap`);
    const out = podcap([
      "capture",
      `pod/${pod.name}`,
      "-n",
      "demo",
      "-d",
      "3s",
      "-f",
      "tcp port 80",
      "-o",
      file,
      "--json",
    ]);
    expect(out.code, out.stderr).toBe(0);
    const summary = JSON.parse(out.stdout);
    expect(summary).toMatchObject({
      pod: pod.name,
      node,
      namespace: "demo",
      stopReason: "duration",
      interface: "eth0",
    });
    expect(summary.packets).toBeGreaterThan(0);
    expect(summary.tcpdump.captured).toBe(summary.packets);
    const flows = tsharkLines(file, "-Y", "http.request", "-T", "fields", "-e", "ip.src", "-e", "ip.dst");
    expect(flows).toContain(`${client.ip}\t${pod.ip}`);
    expect(tsharkLines(file, "-Y", "not tcp.port == 80")).toEqual([]);
    expect(run("stat", ["-c", "%a", file]).stdout.trim()).toBe("600");
    expect(await settledLeftovers()).toEqual([]);
  });

  it("captures a sidecar pod through its app container, and lo shows the sidecar's traffic", () => {
    const meshed = podNamed("meshed-");
    const file = join(dir, "meshed-lo.pcap");
    const out = podcap(["capture", meshed.name, "-i", "lo", "-d", "3s", "-o", file, "--json"]);
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout).container).toBe("app");
    expect(tsharkLines(file, "-Y", "tcp.port == 15000").length).toBeGreaterThan(0);
  });

  it("streams only pcap bytes to stdout, readable by tshark as it runs", () => {
    const web = podNamed("web-");
    const pipeline = `node bin/podcap.js capture ${web.name} -d 3s -o - | tshark -r - -Y http.request -T fields -e ip.dst`;
    const out = run("bash", ["-o", "pipefail", "-c", pipeline], {
      env: {
        ...process.env,
        KUBECONFIG: join(process.cwd(), ".lab/kubeconfig"),
        PODCAP_INVENTORY: join(process.cwd(), ".lab/inventory.yaml"),
      },
    });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.split("\n")).toContain(web.ip);
  });
});
