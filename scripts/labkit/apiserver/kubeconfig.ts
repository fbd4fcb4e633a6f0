// The kubeconfig users and tests point kubectl at: one cluster (the lab CA by path), one user per
// lab identity with its token, and a context for each: `lab` is the admin and current, the others
// are `lab-<user>`. All in namespace demo, where the lab's workloads run.
//
// client-node's KubeConfig builds and exports it, so the field names are the ones kubectl and
// client-node read back.

import { chmod, mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { type Cluster, type Context, KubeConfig, type User } from "@kubernetes/client-node";
import { stringify } from "yaml";
import type { LabUser } from "./access.js";

export interface KubeconfigOptions {
  server: string;
  caFile: string;
  users: readonly LabUser[];
  /** Default namespace of every context; "demo" unless told otherwise. */
  namespace?: string;
  clusterName?: string;
}

export const contextNameFor = (username: string) => (username === "admin" ? "lab" : `lab-${username}`);

export function labKubeconfig(options: KubeconfigOptions): string {
  const clusterName = options.clusterName ?? "lab";
  const namespace = options.namespace ?? "demo";
  const cluster: Cluster = {
    name: clusterName,
    server: options.server,
    caFile: options.caFile,
    skipTLSVerify: false,
  };
  const users: User[] = options.users.map((user) => ({ name: user.username, token: user.token }));
  const contexts: Context[] = options.users.map((user) => ({
    name: contextNameFor(user.username),
    cluster: clusterName,
    user: user.username,
    namespace,
  }));
  const current = contexts.find((context) => context.user === "admin") ?? contexts[0];
  const config = new KubeConfig();
  config.loadFromOptions({ clusters: [cluster], users, contexts, currentContext: current?.name ?? "" });
  return stringify(JSON.parse(config.exportConfig()));
}

/** Writes the kubeconfig with mode 0600: it holds every lab token. */
export async function writeLabKubeconfig(file: string, options: KubeconfigOptions): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, labKubeconfig(options), { mode: 0o600 });
  await chmod(file, 0o600);
}
