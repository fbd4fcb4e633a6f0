// The lab as a user meets it: the real kubectl against the API stand-in, the real OpenSSH client
// against every node, and pods that are the real containers.

import { beforeAll, describe, expect, it } from "vitest";
import { ensureLab, kubectl, labPaths, labPods, labSsh, run } from "./lab-env.js";

beforeAll(ensureLab);

describe("kubectl against the lab", () => {
  it("lists every lab pod with its node and IP", () => {
    const out = kubectl("get", "pods", "-A", "-o", "wide");
    expect(out.code, out.stderr).toBe(0);
    for (const pod of labPods()) {
      const row = out.stdout.split("\n").find((line) => line.includes(` ${pod.name} `));
      expect(row, pod.name).toBeDefined();
      expect(row).toContain(pod.node);
      expect(row).toContain(pod.ip);
    }
    const namespaces = new Set(labPods().map((p) => p.namespace));
    expect(namespaces).toContain("demo");
    expect(namespaces.size).toBeGreaterThan(1);
  });

  it("spreads three web replicas over at least two nodes", () => {
    const web = labPods().filter((p) => p.labels.app === "web" && p.namespace === "demo");
    expect(web.length).toBeGreaterThanOrEqual(3);
    expect(new Set(web.map((p) => p.node)).size).toBeGreaterThanOrEqual(2);
  });

  it("shows nodes with the addresses that reach them", () => {
    const out = kubectl("get", "nodes", "-o", "wide");
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/node-a\s+Ready.*10\.77\.0\.11/);
    expect(out.stdout).toMatch(/node-c\s+Ready.*10\.77\.1\.13/);
  });

  it("records and lists events", () => {
    const event = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `lab-test.${Date.now()}`, namespace: "demo" },
      involvedObject: { kind: "Pod", namespace: "demo", name: "client" },
      reason: "LabTest",
      message: "written by the lab test",
      type: "Normal",
    };
    const created = run(
      "kubectl",
      ["--kubeconfig", labPaths.kubeconfig, "create", "--validate=false", "-f", "-"],
      { input: JSON.stringify(event) },
    );
    expect(created.code, created.stderr).toBe(0);
    expect(kubectl("get", "events", "-n", "demo").stdout).toContain("LabTest");
  });

  // kubectl reads `pods/exec` as TYPE/NAME (a pod named "exec"); the exec subresource is
  // --subresource=exec. Both answer as a real RBAC apiserver would.
  it.each([
    ["lab", ["pods/exec"], "yes"],
    ["lab-viewer", ["pods/exec"], "no"],
    ["lab-operator", ["pods", "--subresource=exec"], "yes"],
    ["lab-viewer", ["pods", "--subresource=exec"], "no"],
  ])("answers `auth can-i create` as %s for %j: %s", (context, what, answer) => {
    const out = kubectl("--context", context, "auth", "can-i", "create", ...what, "-n", "demo");
    expect(out.stdout.trim()).toBe(answer);
    expect(out.code).toBe(answer === "yes" ? 0 : 1);
  });

  it("serves the containers' real IDs", () => {
    const docker = run("docker", ["ps", "-q", "--no-trunc"]).stdout.split("\n").filter(Boolean);
    const ctr = run("ctr", [
      "--address",
      "/run/podcap-lab/containerd/containerd.sock",
      "-n",
      "k8s.io",
      "task",
      "ls",
      "-q",
    ]);
    const containerd = ctr.stdout.split("\n").filter(Boolean);
    const ids = labPods()
      .filter((p) => p.phase === "Running")
      .flatMap((p) => p.containerIds);
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids) {
      const [scheme, raw] = id.split("://") as [string, string];
      expect(scheme === "docker" ? docker : containerd, id).toContain(raw);
    }
    expect(ids.some((id) => id.startsWith("docker://"))).toBe(true);
    expect(ids.some((id) => id.startsWith("containerd://"))).toBe(true);
  });
});

describe("OpenSSH against the lab nodes", () => {
  it.each(["node-a", "node-b", "node-c", "node-d"])("reaches %s with its known host key", (node) => {
    const out = labSsh(node, "true");
    expect(out.code, out.stderr).toBe(0);
  });

  it("reaches node-c only through the bastion", () => {
    const direct = run("ssh", [
      "-F",
      labPaths.sshConfig,
      "-o",
      "ProxyJump=none",
      "-o",
      "ConnectTimeout=3",
      "node-c",
      "true",
    ]);
    expect(direct.code).not.toBe(0);
  });

  it("makes node-b's user go through sudo -n", () => {
    expect(labSsh("node-b", "id -u").stdout.trim()).not.toBe("0");
    expect(labSsh("node-b", "nsenter -n -t 1 true").code).not.toBe(0);
    expect(labSsh("node-b", "sudo -n nsenter --version").code).toBe(0);
  });
});
