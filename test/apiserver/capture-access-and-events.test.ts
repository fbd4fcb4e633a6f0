// podcap's pre-flight access review and its capture Events against the lab apiserver, as the
// lab's three users: the viewer may only read, the operator may also exec and create events,
// the admin may do anything.

import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkCaptureAccess, reviewCaptureAccess } from "../../src/kube/access-check.js";
import { recordCaptureStarted, recordCaptureStopped } from "../../src/kube/capture-events.js";
import { connectKube } from "../../src/kube/kube-client.js";
import { type Lab, startLab } from "./harness.js";

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.stop();
});

const kubeAs = (context: string) => connectKube({ kubeconfig: lab.kubeconfig, context });
const packetcaptures = { verb: "create", group: "podcap.io", resource: "packetcaptures" };

describe("the access check before any SSH", () => {
  it("refuses the get/list-only user, naming the user, the permission and the namespace", async () => {
    const failure = await checkCaptureAccess(kubeAs("lab-viewer"), ["demo", "demo"]).catch((error) => error);
    expect(failure).toMatchObject({
      name: "AccessDenied",
      exitCode: 4,
      message:
        'user "viewer" (context lab-viewer) may not create pods/exec in namespace "demo", which capturing needs',
    });
    expect(failure.hint).toContain("kubectl auth can-i create pods/exec -n demo --context lab-viewer");
  });

  it("lets the pods/exec user capture in every namespace asked", async () => {
    await expect(
      checkCaptureAccess(kubeAs("lab-operator"), ["demo", "kube-system"]),
    ).resolves.toBeUndefined();
  });

  it("checks a custom requirement: refused for the operator, allowed for the admin", async () => {
    const failure = await checkCaptureAccess(kubeAs("lab-operator"), ["demo", "tools"], packetcaptures).catch(
      (error) => error,
    );
    expect(failure.name).toBe("AccessDenied");
    expect(failure.message).toContain(
      'may not create packetcaptures.podcap.io in namespaces "demo", "tools"',
    );
    expect(failure.hint).toContain("settings.access.require");
    await expect(checkCaptureAccess(kubeAs("lab"), ["demo"], packetcaptures)).resolves.toBeUndefined();
  });

  it("asks once per distinct namespace", async () => {
    const answers = await reviewCaptureAccess(kubeAs("lab-viewer"), ["demo", "tools", "demo"]);
    expect([...answers]).toEqual([
      ["demo", false],
      ["tools", false],
    ]);
  });

  it("says the API server is unreachable rather than that access was denied", async () => {
    const dead = join(lab.dir, "dead-kubeconfig");
    await writeFile(
      dead,
      (await readFile(lab.kubeconfig, "utf8")).replace(lab.server.url, "https://127.0.0.1:1"),
    );
    const offline = connectKube({ kubeconfig: dead, context: "lab-operator" });
    await expect(checkCaptureAccess(offline, ["demo"])).rejects.toMatchObject({ name: "KubeUnreachable" });
  });
});

describe("capture Events on the pod", () => {
  const pod = { namespace: "demo", name: "web-1", uid: "pod-demo-web-1", container: "web" };
  const captureId = "20250301T100000Z-a1b2c3";

  it("shows PacketCaptureStarted and PacketCaptureStopped in kubectl get events", async () => {
    const kube = kubeAs("lab-operator");
    const started = await recordCaptureStarted(kube, pod, {
      captureId,
      user: kube.user,
      iface: "eth0",
      filter: "tcp port 80",
      node: "lab-node-1",
    });
    const stopped = await recordCaptureStopped(kube, pod, {
      captureId,
      node: "lab-node-1",
      packets: 42,
      bytes: 6300,
      durationSeconds: 10,
      reason: "duration",
    });
    expect([started, stopped]).toEqual([undefined, undefined]);
    const listed = await lab.kubectl("get", "events", "-n", "demo");
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/Normal\s+PacketCaptureStarted\s+pod\/web-1\s+user "operator" started/);
    expect(listed.stdout).toMatch(
      /Normal\s+PacketCaptureStopped\s+pod\/web-1\s+packet capture .* 42 packets/,
    );
    const forPod = await lab.kubectl(
      "get",
      "events",
      "-n",
      "demo",
      "--field-selector",
      "involvedObject.uid=pod-demo-web-1,reportingComponent=podcap",
      "-o",
      "jsonpath={.items[*].reason}",
    );
    expect(forPod.stdout.split(" ").sort()).toEqual(["PacketCaptureStarted", "PacketCaptureStopped"]);
  });

  it("returns the failure for a debug line instead of throwing, when events may not be created", async () => {
    const failure = await recordCaptureStarted(kubeAs("lab-viewer"), pod, {
      captureId,
      user: "viewer",
      iface: "eth0",
      filter: "",
      node: "lab-node-1",
    });
    expect(failure?.message).toMatch(
      /^cannot create Event PacketCaptureStarted on pod demo\/web-1: .*viewer/,
    );
  });
});
