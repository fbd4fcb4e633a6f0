// One lab apiserver per test file: fixture cluster in a temp file (FileSource) unless the test
// brings its own source, fresh certs, the three lab users, a kubeconfig, and a way to run the real
// kubectl against it.

import { execFile } from "node:child_process";
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import type { LabUser } from "../../scripts/labkit/apiserver/access.js";
import { FileSource } from "../../scripts/labkit/apiserver/file-source.js";
import { writeLabKubeconfig } from "../../scripts/labkit/apiserver/kubeconfig.js";
import { labUsers } from "../../scripts/labkit/apiserver/lab-users.js";
import { type RunningApiServer, startApiServer } from "../../scripts/labkit/apiserver/server.js";
import type { ClusterSource } from "../../scripts/labkit/apiserver/source.js";
import { fixtureSnapshot } from "./fixture.js";

export interface Lab {
  dir: string;
  kubeconfig: string;
  users: LabUser[];
  server: RunningApiServer;
  /** Replaces the cluster file atomically, so a poll never reads half of it. */
  writeCluster(snapshot: object): Promise<void>;
  kubectl(...args: string[]): Promise<KubectlResult>;
  tokenOf(username: string): string;
  stop(): Promise<void>;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface LabOptions {
  pollMs?: number;
  historyLimit?: number;
  /** Instead of the fixture file; writeCluster then changes nothing the server sees. */
  source?: ClusterSource;
}

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const dir = await mkdtemp(join(tmpdir(), "podcap-apiserver-"));
  const clusterFile = join(dir, "cluster.json");
  const writeCluster = async (snapshot: object) => {
    await writeFile(`${clusterFile}.tmp`, JSON.stringify(snapshot));
    await rename(`${clusterFile}.tmp`, clusterFile);
  };
  await writeCluster(fixtureSnapshot());
  const users = labUsers();
  const server = await startApiServer({
    port: 0,
    certDir: join(dir, "certs"),
    users,
    source: options.source ?? new FileSource(clusterFile),
    pollMs: options.pollMs ?? 50,
    historyLimit: options.historyLimit,
  });
  const kubeconfig = join(dir, "kubeconfig");
  await writeLabKubeconfig(kubeconfig, { server: server.url, caFile: server.caFile, users });

  // --cache-dir keeps kubectl's discovery cache out of ~/.kube and away from other runs.
  const kubectl = (...args: string[]) =>
    new Promise<KubectlResult>((resolve) => {
      const argv = ["--kubeconfig", kubeconfig, "--cache-dir", join(dir, "kube-cache"), ...args];
      execFile("kubectl", argv, { timeout: 15_000 }, (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        resolve({ code, stdout, stderr });
      });
    });

  return {
    dir,
    kubeconfig,
    users,
    server,
    writeCluster,
    kubectl,
    tokenOf: (username) => users.find((user) => user.username === username)?.token ?? "",
    stop: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns true or `ms` pass; the store notices file changes within pollMs. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** client-node's config for one of the lab's contexts: lab (admin), lab-operator, lab-viewer. */
export function kubeConfigOf(lab: Lab, context = "lab"): KubeConfig {
  const config = new KubeConfig();
  config.loadFromFile(lab.kubeconfig);
  config.setCurrentContext(context);
  return config;
}
