// `scripts/lab up` after the lab's daemons were killed, as they are when a session ends while the
// lab is up: the runtimes come back holding the dead pods' records, and `up` must make those pods
// afresh instead of serving them as Failed. CI meets exactly this on a machine a session used.

import { beforeAll, describe, expect, it } from "vitest";
import { ensureLab, labPods, labSsh, run } from "./lab-env.js";

beforeAll(ensureLab);

/** SIGKILL for both runtimes and every shim: the containers die with them, their records stay. */
function killRuntimes(): void {
  const killed = run("pkill", ["-KILL", "-f", "^(dockerd|containerd|/usr/bin/containerd-shim).*podcap-lab"]);
  expect(killed.code, killed.stderr).toBe(0);
}

describe("lab up after its runtimes were killed", () => {
  it("makes the dead pods afresh, with new containers, and the nodes still answer", () => {
    const before = labPods().filter((p) => p.phase === "Running");
    expect(before.length).toBeGreaterThan(5);
    killRuntimes();
    ensureLab();
    const after = labPods();
    for (const pod of before) {
      const now = after.find((p) => p.namespace === pod.namespace && p.name === pod.name);
      expect(now?.phase, `${pod.namespace}/${pod.name}`).toBe("Running");
      expect(now?.containerIds.some((id) => pod.containerIds.includes(id))).toBe(false);
    }
    expect(after.find((p) => p.name.startsWith("migrate-db-"))?.phase).toBe("Succeeded");
    expect(labSsh("node-c", "true").code).toBe(0);
  });
});
