// The lab's control plane: the API stand-in as a daemon serving pods made from the real
// containers, plus what a user needs to reach it (kubeconfig) and the nodes (inventory).

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import {
  ensureLabCerts,
  type LabUserName,
  labUsers,
  newToken,
  writeLabKubeconfig,
} from "./apiserver/index.js";
import { labContainers } from "./containers.js";
import { ensureDaemon, stopDaemon } from "./daemons.js";
import { writeInventory } from "./inventory.js";
import { API, LAB_DIR, paths, REPO_DIR } from "./layout.js";
import { waitFor } from "./sh.js";

const TOKENS = join(LAB_DIR, "tokens.json");
const DAEMON = "apiserver";

/** Tokens survive restarts so a kubeconfig written once stays valid. */
export function labTokens(): Record<LabUserName, string> {
  if (existsSync(TOKENS)) return JSON.parse(readFileSync(TOKENS, "utf8"));
  const tokens = { admin: newToken(), viewer: newToken(), operator: newToken() };
  writeFileSync(TOKENS, JSON.stringify(tokens), { mode: 0o600 });
  return tokens;
}

export async function startControlPlane(): Promise<void> {
  const certs = await ensureLabCerts(paths.certs);
  const users = labUsers(labTokens());
  await ensureDaemon(DAEMON, [
    process.execPath,
    "--import",
    "tsx",
    join(REPO_DIR, "scripts/labkit/control-plane-daemon.ts"),
  ]);
  const url = `https://${API.host}:${API.port}`;
  await writeLabKubeconfig(paths.kubeconfig, { server: url, caFile: certs.caFile, users, namespace: "demo" });
  writeInventory();
  await waitFor("the API stand-in", async () => {
    const response = await fetch(`http://${API.host}:${API.port}/`).catch(
      (error: { cause?: { code?: string } }) => error,
    );
    // Plain HTTP to a TLS port fails at once with a reset once it listens; refused means not yet.
    return (response as { cause?: { code?: string } }).cause?.code === "ECONNREFUSED" ? undefined : true;
  });
}

/**
 * The API serves its last poll of the runtimes, which may be from before `up` remade a pod: wait
 * until it shows every container the runtimes hold, as they hold it, so that what `up` made is
 * what kubectl and podcap see next. The runtimes are read again each round: a Job's container
 * may end meanwhile.
 */
export async function waitForApiToShowContainers(): Promise<void> {
  const config = new KubeConfig();
  config.loadFromFile(paths.kubeconfig);
  const api = config.makeApiClient(CoreV1Api);
  await waitFor("the API to show the pods the runtimes hold", async () => {
    const shown = new Set(
      (await api.listPodForAllNamespaces()).items.flatMap((pod) =>
        (pod.status?.containerStatuses ?? []).map((s) => `${s.containerID} ${Boolean(s.state?.running)}`),
      ),
    );
    const held = (await labContainers()).filter((c) => !c.sandbox);
    return held.every((c) => shown.has(`${c.runtime}://${c.id} ${c.running}`)) ? true : undefined;
  });
}

export async function stopControlPlane(): Promise<void> {
  await stopDaemon(DAEMON);
}
