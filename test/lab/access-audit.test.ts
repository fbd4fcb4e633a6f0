// Who may capture, and the record every capture leaves, with the lab's own users: the get/list-only
// viewer is refused before any SSH, the operator (create pods/exec) captures, and afterwards the
// pod has its PacketCaptureStarted/Stopped Events and both audit logs have the capture's line.

import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureLab, kubectl, labPaths, podcap, podNamed, sshLogins } from "./lab-env.js";

const dir = mkdtempSync(join(tmpdir(), "podcap-access-"));
const NODE_AUDIT = labPaths.nodeAudit;
beforeAll(ensureLab);

const auditLines = (file: string) =>
  existsSync(file)
    ? readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];

describe("access review before any SSH", () => {
  it.each([
    ["one pod", () => [podNamed("web-").name]],
    ["many pods", () => ["-l", "app=web"]],
  ])("refuses the viewer for %s, naming the permission, with nothing run on a node", (_what, targets) => {
    const before = sshLogins();
    const out = podcap([
      "capture",
      ...targets(),
      "--context",
      "lab-viewer",
      "-d",
      "2s",
      "-o",
      join(dir, "no.pcap"),
    ]);
    expect(out.code, out.stderr).toBe(4);
    expect(out.stderr).toContain(
      'user "viewer" (context lab-viewer) may not create pods/exec in namespace "demo"',
    );
    expect(out.stderr).toMatch(/hint: .*kubectl auth can-i create pods\/exec/);
    expect(sshLogins()).toBe(before);
    expect(existsSync(join(dir, "no.pcap"))).toBe(false);
  });

  it("does not let --skip-access-check through an inventory that does not allow it", () => {
    const before = sshLogins();
    const out = podcap([
      "capture",
      podNamed("web-").name,
      "--context",
      "lab-viewer",
      "--skip-access-check",
      "-d",
      "2s",
    ]);
    expect(out.code, out.stderr).toBe(2);
    expect(out.stderr).toContain("--skip-access-check is not allowed by the inventory");
    expect(sshLogins()).toBe(before);
  });
});

describe("a capture by the operator", () => {
  it("captures, leaves Events on the pod and one line in each audit log", () => {
    const web = podNamed("web-");
    const out = podcap([
      "capture",
      web.name,
      "--context",
      "lab-operator",
      "-d",
      "2s",
      "-o",
      join(dir, "op.pcap"),
      "--json",
    ]);
    expect(out.code, out.stderr).toBe(0);
    const summary = JSON.parse(out.stdout);
    const events = kubectl("get", "events", "-n", "demo", "-o", "json");
    const mine = JSON.parse(events.stdout).items.filter(
      (e: { message?: string; involvedObject: { name: string } }) =>
        e.involvedObject.name === web.name && e.message?.includes(summary.id),
    );
    expect(mine.map((e: { reason: string }) => e.reason).sort()).toEqual([
      "PacketCaptureStarted",
      "PacketCaptureStopped",
    ]);
    for (const file of [labPaths.localAudit, NODE_AUDIT]) {
      const line = auditLines(file).find((r) => r.captureId === summary.id);
      expect(line, file).toMatchObject({
        who: { kubeUser: "operator" },
        what: { targets: [{ namespace: "demo", pod: web.name, node: web.node }], interface: "eth0" },
        result: { status: "captured", packets: summary.packets, bytes: summary.bytes },
      });
      expect(JSON.stringify(line)).not.toMatch(/\\u0000|pcap bytes/);
    }
  });

  it("writes one audit line for a fan-out run, with every target in it", () => {
    const before = auditLines(labPaths.localAudit).length;
    const out = podcap([
      "capture",
      "-l",
      "app=web",
      "--context",
      "lab-operator",
      "-d",
      "2s",
      "-o",
      join(dir, "many.pcapng"),
      "--json",
    ]);
    expect(out.code, out.stderr).toBe(0);
    const lines = auditLines(labPaths.localAudit);
    expect(lines).toHaveLength(before + 1);
    const line = lines.at(-1);
    const pods = JSON.parse(out.stdout)
      .targets.map((t: { pod: string }) => t.pod)
      .sort();
    expect(line.what.targets.map((t: { pod: string }) => t.pod).sort()).toEqual(pods);
    expect(line.result).toMatchObject({
      status: "captured",
      packets: JSON.parse(out.stdout).targets.reduce((n: number, t: { packets: number }) => n + t.packets, 0),
    });
    expect(auditLines(NODE_AUDIT).filter((r) => r.captureId === line.captureId).length).toBe(
      new Set(line.what.targets.map((t: { node: string }) => t.node)).size,
    );
  });
});
