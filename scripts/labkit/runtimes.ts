// The two real container runtimes of the lab: Debian's dockerd and a containerd driven by ctr in
// namespace k8s.io, as kubelet's CRI plugin would leave it.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureDaemon, stopDaemon } from "./daemons.js";
import { DATA_DIR, paths } from "./layout.js";
import { run, tryRun, waitFor } from "./sh.js";

export const docker = (...args: string[]) => ["docker", "-H", `unix://${paths.dockerSocket}`, ...args];
export const ctr = (...args: string[]) => [
  "ctr",
  "--address",
  paths.containerdSocket,
  "-n",
  "k8s.io",
  ...args,
];

export async function startRuntimes(): Promise<void> {
  mkdirSync(paths.dockerData, { recursive: true });
  await ensureDaemon("dockerd", [
    "dockerd",
    "--data-root",
    paths.dockerData,
    "--exec-root",
    paths.dockerExec,
    "--pidfile",
    join(paths.dockerExec, "dockerd.pid"),
    "-H",
    `unix://${paths.dockerSocket}`,
    "--bridge",
    "none",
    "--iptables=false",
    "--ip6tables=false",
    "--ip-masq=false",
    "--userland-proxy=false",
  ]); // prettier-ignore
  const config = join(DATA_DIR, "containerd.toml");
  mkdirSync(paths.containerdRoot, { recursive: true });
  writeFileSync(
    config,
    [
      "version = 2",
      `root = "${paths.containerdRoot}"`,
      `state = "${paths.containerdState}"`,
      `[grpc]\n  address = "${paths.containerdSocket}"`,
      // The CRI plugin would want a CNI setup of its own; the lab plays kubelet through ctr instead.
      `disabled_plugins = ["io.containerd.grpc.v1.cri"]`,
      "",
    ].join("\n"),
  );
  await ensureDaemon("containerd", ["containerd", "--config", config]);
  await waitFor(
    "dockerd",
    async () => ((await tryRun(docker("version"))).code === 0 ? true : undefined),
    60_000,
  );
  await waitFor(
    "containerd",
    async () => ((await tryRun(ctr("version"))).code === 0 ? true : undefined),
    60_000,
  );
}

export async function stopRuntimes(): Promise<void> {
  await stopDaemon("dockerd", 15_000);
  await stopDaemon("containerd", 15_000);
}

export async function runtimeVersions(): Promise<{ docker: string; containerd: string }> {
  const dockerVersion = (await run(docker("version", "--format", "{{.Server.Version}}"))).trim();
  const containerdVersion =
    (await run(ctr("version"))).match(/Server:[\s\S]*?Version:\s*(\S+)/)?.[1] ?? "unknown";
  return { docker: dockerVersion, containerd: containerdVersion };
}
