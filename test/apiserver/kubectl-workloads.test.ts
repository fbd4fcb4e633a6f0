// The real kubectl against workloads and services: `kubectl get deploy,rs,sts,ds,svc,ep`,
// `describe` and `rollout status` must read as on a cluster, with every count and address worked
// out from the fixture's pods.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixturePods, fixtureSnapshot, type PodSpec } from "./fixture.js";
import { eventually, type Lab, startLab } from "./harness.js";
import { rows, tables } from "./kubectl-output.js";

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab.stop();
});

const age = expect.stringMatching(/^\d+m$/);

describe("kubectl get workloads and services", () => {
  it("lists deployments, replica sets, stateful sets, daemon sets, services and endpoints (-A -o wide)", async () => {
    const result = await lab.kubectl("get", "deploy,rs,sts,ds,svc,ep", "-A", "-o", "wide");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const [deploy, rs, sts, ds, svc, ep] = tables(result.stdout);
    expect(deploy?.header).toEqual([
      "NAMESPACE",
      "NAME",
      "READY",
      "UP-TO-DATE",
      "AVAILABLE",
      "AGE",
      "CONTAINERS",
      "IMAGES",
      "SELECTOR",
    ]);
    expect(deploy?.rows).toEqual([
      ["demo", "deployment.apps/web", "2/2", "2", "2", age, "main", "lab/busybox:1", "app=web,tier=frontend"],
    ]);
    expect(rs?.header.slice(2, 5)).toEqual(["DESIRED", "CURRENT", "READY"]);
    expect(rs?.rows).toEqual([
      [
        "demo",
        "replicaset.apps/web-6b7f9d8c5",
        "2",
        "2",
        "2",
        age,
        "main",
        "lab/busybox:1",
        "app=web,pod-template-hash=6b7f9d8c5,tier=frontend",
      ],
    ]);
    // db-1 fails its readiness probe.
    expect(sts?.rows).toEqual([
      ["demo", "statefulset.apps/db", "1/2", age, "postgres,metrics", "lab/busybox:1,lab/busybox:1"],
    ]);
    expect(ds?.header.slice(2, 8)).toEqual([
      "DESIRED",
      "CURRENT",
      "READY",
      "UP-TO-DATE",
      "AVAILABLE",
      "NODE SELECTOR",
    ]);
    expect(ds?.rows).toEqual([
      [
        "kube-system",
        "daemonset.apps/node-agent",
        ..."33333",
        "<none>",
        age,
        "agent",
        "lab/busybox:1",
        "app.kubernetes.io/name=node-agent",
      ],
    ]);
    expect(svc?.header).toEqual([
      "NAMESPACE",
      "NAME",
      "TYPE",
      "CLUSTER-IP",
      "EXTERNAL-IP",
      "PORT(S)",
      "AGE",
      "SELECTOR",
    ]);
    expect(svc?.rows).toEqual([
      ["demo", "service/db", "ClusterIP", "None", "<none>", "5432/TCP", age, "app=db"],
      ["demo", "service/legacy-db", "ClusterIP", "10.96.0.30", "<none>", "5432/TCP", age, "<none>"],
      ["demo", "service/web", "ClusterIP", "10.96.0.20", "<none>", "80/TCP", age, "app=web"],
    ]);
    // Endpoints are the ready pods at their target port; legacy-db's were written by hand.
    expect(ep?.rows).toEqual([
      ["demo", "endpoints/db", "10.244.2.11:5432", age],
      ["demo", "endpoints/legacy-db", "10.89.0.50:5432", age],
      ["demo", "endpoints/web", "10.244.1.10:8080,10.244.2.10:8080", age],
    ]);
  });

  it("lists the finished job and the services' endpoint slices", async () => {
    const result = await lab.kubectl("get", "jobs,endpointslices", "-A");
    expect(result.code).toBe(0);
    const [jobs, slices] = tables(result.stdout);
    expect(jobs?.rows).toEqual([["tools", "job.batch/backup-28999", "Complete", "1/1", "2m", age]]);
    expect(slices?.header).toEqual(["NAMESPACE", "NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"]);
    expect(slices?.rows).toEqual([
      [
        "demo",
        expect.stringMatching(/^endpointslice.discovery.k8s.io\/db-[a-z0-9]{5}$/),
        "IPv4",
        "5432",
        "10.244.2.11,10.244.3.11",
        age,
      ],
      [
        "demo",
        expect.stringMatching(/^endpointslice.discovery.k8s.io\/web-[a-z0-9]{5}$/),
        "IPv4",
        "8080",
        "10.244.1.10,10.244.2.10",
        age,
      ],
    ]);
  });

  it("lists what `all` means in a namespace, and selects workloads by label and by name", async () => {
    const all = tables((await lab.kubectl("get", "all", "-n", "demo")).stdout);
    expect(all.map((table) => table.rows[0]?.[0]?.split("/")[0])).toEqual([
      "pod",
      "service",
      "deployment.apps",
      "statefulset.apps",
      "replicaset.apps",
    ]);
    expect(rows((await lab.kubectl("get", "svc", "-l", "app=web")).stdout).map((cells) => cells[0])).toEqual([
      "web",
    ]);
    const named = await lab.kubectl("get", "sts", "-A", "--field-selector", "metadata.name=db");
    expect(rows(named.stdout).map((cells) => cells.slice(0, 2))).toEqual([["demo", "db"]]);
    const unindexed = await lab.kubectl("get", "deploy", "--field-selector", "spec.replicas=2");
    expect(unindexed.stderr).toContain("field label not supported: spec.replicas");
  });
});

describe("kubectl and owners", () => {
  it("finds a Deployment's pods by its selector, each controlled by the Deployment's ReplicaSet", async () => {
    const matchLabels = await lab.kubectl(
      "get",
      "deploy",
      "web",
      "-o",
      "jsonpath={.spec.selector.matchLabels}",
    );
    const selector = Object.entries(JSON.parse(matchLabels.stdout) as Record<string, string>)
      .map(([key, value]) => `${key}=${value}`)
      .join(",");
    expect(selector).toBe("app=web,tier=frontend");
    const owners =
      "custom-columns=NAME:.metadata.name,KIND:.metadata.ownerReferences[0].kind,OWNER:.metadata.ownerReferences[0].name";
    const pods = await lab.kubectl("get", "pods", "-l", selector, "-o", owners);
    expect(rows(pods.stdout)).toEqual([
      ["web-1", "ReplicaSet", "web-6b7f9d8c5"],
      ["web-2", "ReplicaSet", "web-6b7f9d8c5"],
    ]);
    const rsOwner = "jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}";
    expect((await lab.kubectl("get", "rs", "web-6b7f9d8c5", "-o", rsOwner)).stdout).toBe("Deployment/web");
    expect((await lab.kubectl("describe", "pod", "web-1")).stdout).toMatch(
      /Controlled By:\s+ReplicaSet\/web-6b7f9d8c5\n/,
    );
    const described = (await lab.kubectl("describe", "deploy", "web")).stdout;
    expect(described).toMatch(
      /Replicas:\s+2 desired \| 2 updated \| 2 total \| 2 available \| 0 unavailable/,
    );
    expect(described).toMatch(/NewReplicaSet:\s+web-6b7f9d8c5 \(2\/2 replicas created\)/);
    expect((await lab.kubectl("describe", "pod", "-n", "tools", "backup-28999-x7k2q")).stdout).toMatch(
      /Controlled By:\s+Job\/backup-28999\n/,
    );
  });

  it("follows the pods: readiness into a StatefulSet and its endpoints, a lost pod into rollout status", async () => {
    const cell = async (...args: string[]) => rows((await lab.kubectl("get", ...args)).stdout)[0]?.[1];
    expect(await cell("sts", "db")).toBe("1/2");
    const changed = (pods: PodSpec[]) =>
      pods
        .filter((pod) => pod.name !== "web-2")
        .map((pod) => (pod.name === "db-1" ? { ...pod, unready: false } : pod));
    await lab.writeCluster(fixtureSnapshot(changed(fixturePods)));
    await eventually(async () => (await cell("ep", "db")) === "10.244.2.11:5432,10.244.3.11:5432");
    expect(await cell("sts", "db")).toBe("2/2");
    expect(await cell("deploy", "web")).toBe("1/2");
    const rollout = await lab.kubectl("rollout", "status", "deploy/web", "--timeout=1s");
    expect(rollout.code).toBe(1);
    expect(rollout.stdout).toContain(
      'Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...',
    );
    await lab.writeCluster(fixtureSnapshot());
    await eventually(async () => (await cell("deploy", "web")) === "2/2");
    expect((await lab.kubectl("rollout", "status", "deploy/web")).stdout.trim()).toBe(
      'deployment "web" successfully rolled out',
    );
  });
});
