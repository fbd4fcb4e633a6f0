// The real kubectl against the lab apiserver: what users type in the README must work, and look
// like it does on a cluster.

import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { containerId, fixturePods } from "./fixture.js";
import { type Lab, startLab } from "./harness.js";
import { call } from "./https-client.js";
import { rows } from "./kubectl-output.js";

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab.stop();
});

describe("kubectl get", () => {
  it("lists every pod of every namespace with its node and IP (-A -o wide)", async () => {
    const result = await lab.kubectl("get", "pods", "-A", "-o", "wide");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")[0]).toMatch(
      /^NAMESPACE +NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES$/,
    );
    const listed = rows(result.stdout).map(([ns, name, , , , , ip, node]) => ({ ns, name, ip, node }));
    expect(listed).toHaveLength(fixturePods.length);
    for (const pod of fixturePods) {
      expect(listed).toContainEqual({ ns: pod.namespace, name: pod.name, ip: pod.ip, node: pod.node });
    }
    const db = rows(result.stdout).find((cells) => cells[1] === "db-0");
    expect(db?.slice(2, 5)).toEqual(["2/2", "Running", "0"]);
  });

  it("shows nodes with internal IP and container runtime (-o wide)", async () => {
    const result = await lab.kubectl("get", "nodes", "-o", "wide");
    expect(result.code).toBe(0);
    const byName = new Map(rows(result.stdout).map((cells) => [cells[0], cells]));
    expect(byName.get("lab-node-1")).toEqual([
      "lab-node-1",
      "Ready",
      "control-plane",
      expect.stringMatching(/^\d+h$/),
      "v1.32.0-lab",
      "10.89.0.11",
      "<none>",
      "Debian GNU/Linux 12 (bookworm)",
      "6.1.0-lab",
      "docker://20.10.24",
    ]);
    expect(byName.get("lab-node-2")?.[5]).toBe("10.89.0.12");
    expect(byName.get("lab-node-3")?.[9]).toBe("containerd://1.6.20");
  });

  it("selects pods by label in the context's namespace", async () => {
    const names = async (...args: string[]) =>
      rows((await lab.kubectl("get", "pods", ...args)).stdout).map((cells) => cells[0]);
    expect(await names("-l", "app=web")).toEqual(["web-1", "web-2"]);
    expect(await names("-l", "app in (web,db),tier notin (frontend)")).toEqual(["db-0", "db-1"]);
    expect(await names("-l", "!tier")).toEqual(["client-1", "db-0", "db-1"]);
    const everywhere = await lab.kubectl("get", "pods", "-A", "-l", "k8s-app");
    expect(rows(everywhere.stdout).map((cells) => cells.slice(0, 2))).toEqual([
      ["kube-system", "coredns-lab"],
    ]);
  });

  it("selects pods by field and refuses fields the apiserver does not index", async () => {
    const onNode2 = await lab.kubectl("get", "pods", "-A", "--field-selector", "spec.nodeName=lab-node-2");
    expect(rows(onNode2.stdout).map((cells) => cells[1])).toEqual(["db-0", "web-2", "node-agent-9mz7q"]);
    const bad = await lab.kubectl("get", "pods", "--field-selector", "spec.image=x");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("field label not supported: spec.image");
  });

  it("prints one pod as JSON with its container IDs", async () => {
    const result = await lab.kubectl("get", "pod", "db-0", "-o", "json");
    expect(result.code).toBe(0);
    const pod = JSON.parse(result.stdout);
    expect(pod).toMatchObject({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "db-0", namespace: "demo" },
    });
    expect(Number(pod.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(pod.status.containerStatuses.map((status: { containerID: string }) => status.containerID)).toEqual(
      [
        `containerd://${containerId("demo/db-0/postgres")}`,
        `containerd://${containerId("demo/db-0/metrics")}`,
      ],
    );
  });

  it("says NotFound for a missing pod and lists empty resources as empty", async () => {
    const missing = await lab.kubectl("get", "pod", "nope");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error from server (NotFound): pods "nope" not found');
    const deployments = await lab.kubectl("get", "deployments", "-n", "tools");
    expect(deployments.code).toBe(0);
    expect(deployments.stderr).toContain("No resources found in tools namespace.");
  });
});

describe("kubectl and events", () => {
  it("shows an event POSTed by an operator", async () => {
    const now = new Date().toISOString();
    const posted = await call(lab, "/api/v1/namespaces/demo/events", {
      user: "operator",
      method: "POST",
      body: {
        metadata: { generateName: "web-1." },
        involvedObject: { kind: "Pod", namespace: "demo", name: "web-1", uid: "pod-demo-web-1" },
        reason: "CaptureStarted",
        message: "podcap is capturing on eth0",
        type: "Normal",
        source: { component: "podcap" },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      },
    });
    expect(posted.status).toBe(201);
    const result = await lab.kubectl("get", "events", "-n", "demo");
    expect(result.code).toBe(0);
    expect(rows(result.stdout)).toContainEqual([
      expect.stringMatching(/^\d+s$/),
      "Normal",
      "CaptureStarted",
      "pod/web-1",
      "podcap is capturing on eth0",
    ]);
    // kubectl describe finds it through the involvedObject field selectors.
    const described = await lab.kubectl("describe", "pod", "web-1");
    expect(described.stdout).toMatch(/Normal\s+CaptureStarted\s+\d+s\s+podcap\s+podcap is capturing on eth0/);
  });

  it("lets the operator create events with kubectl and refuses the viewer", async () => {
    const file = join(lab.dir, "event.json");
    const event = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "by-kubectl" },
      involvedObject: { kind: "Pod", name: "web-2", namespace: "demo" },
      reason: "Test",
    };
    await writeFile(file, JSON.stringify(event));
    const viewer = await lab.kubectl("--context", "lab-viewer", "create", "-f", file, "--validate=false");
    expect(viewer.code).toBe(1);
    expect(viewer.stderr).toContain(
      'events is forbidden: User "viewer" cannot create resource "events" in API group "" in the namespace "demo"',
    );
    const operator = await lab.kubectl("--context", "lab-operator", "create", "-f", file, "--validate=false");
    expect(operator.stdout.trim()).toBe("event/by-kubectl created");
  });
});

describe("kubectl auth and access", () => {
  const canI = (context: string, ...args: string[]) =>
    lab.kubectl("--context", context, "auth", "can-i", ...args);

  it("answers can-i for exec per user, with kubectl's exit codes", async () => {
    for (const [context, answer, code] of [
      ["lab", "yes", 0],
      ["lab-operator", "yes", 0],
      ["lab-viewer", "no", 1],
    ] as const) {
      const result = await canI(context, "create", "pods", "--subresource=exec", "-n", "demo");
      expect([context, result.stdout.trim(), result.code]).toEqual([context, answer, code]);
    }
  });

  it("reads pods/exec as the pod named exec, like kubectl does on any cluster", async () => {
    // `can-i VERB TYPE/NAME`: the operator may exec into pods but not create a pod named "exec".
    expect((await canI("lab-operator", "create", "pods/exec", "-n", "demo")).code).toBe(1);
    expect((await canI("lab", "create", "pods/exec", "-n", "demo")).code).toBe(0);
  });

  it("lets the viewer read pods and workloads but change nothing", async () => {
    const pods = await lab.kubectl("--context", "lab-viewer", "get", "pods");
    expect(pods.code).toBe(0);
    expect(rows(pods.stdout)).toHaveLength(5);
    expect((await canI("lab-viewer", "create", "events", "-n", "demo")).stdout.trim()).toBe("no");
    expect((await lab.kubectl("--context", "lab-viewer", "get", "deployments")).code).toBe(0);
    expect((await canI("lab-viewer", "delete", "deployments", "-n", "demo")).stdout.trim()).toBe("no");
    const deleted = await lab.kubectl("--context", "lab-viewer", "delete", "pod", "web-1");
    expect(deleted.code).toBe(1);
    expect(deleted.stderr).toContain('User "viewer" cannot delete resource "pods"');
  });

  it("refuses an unknown token", async () => {
    const result = await lab.kubectl("--token", "not-a-lab-token", "get", "pods");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("You must be logged in to the server");
  });
});
