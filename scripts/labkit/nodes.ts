// The nodes' front doors: one real OpenSSH sshd per node and one for the bastion, each inside its
// network namespace with its own host key, plus the users, keys, known_hosts and ssh_config a
// person would have for such a cluster.

import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ensureDaemon, isAlive, stopDaemon } from "./daemons.js";
import { BASTION, LAB_DIR, type LabNode, NODES, nodeDir, nodeNetns, OPS_USER, paths } from "./layout.js";
import { inNetns, run, sleep, tryRun, waitFor } from "./sh.js";

interface SshHost {
  name: string;
  netns: string;
  ip: string;
  user: string;
  jump: boolean;
}

const bastionHost: SshHost = {
  name: BASTION.name,
  netns: BASTION.netns,
  ip: BASTION.ip,
  user: BASTION.user,
  jump: true,
};
const asHost = (node: LabNode): SshHost => ({
  name: node.name,
  netns: nodeNetns(node),
  ip: node.ip,
  user: node.user,
  jump: false,
});
export const sshHosts = (): SshHost[] => [bastionHost, ...NODES.map(asHost)];

const hostKey = (host: SshHost) => join(nodeDir(host), "ssh_host_ed25519_key");
// A node's root is not this machine's root: its logins get a home of their own, with Debian's
// default rc files, so this machine's ~/.bashrc (here it runs `pyenv init`, 0.7 s a login, and
// serializes concurrent logins on its lock file) does not run in every exec on a node.
const rootHome = (host: SshHost) => join(nodeDir(host), "root-home");
const daemonName = (host: SshHost) => `sshd-${host.name}`;

async function ensureUser(name: string, shell: string): Promise<void> {
  if ((await tryRun(["id", "-u", name])).code !== 0) await run(["useradd", "-m", "-s", shell, name]);
  // OpenSSH without PAM refuses accounts whose password is locked ("!"), even for keys.
  await run(["usermod", "-p", "*", name]);
}

async function ensureUsersAndKeys(): Promise<void> {
  await ensureUser(OPS_USER, "/bin/bash");
  await ensureUser(BASTION.user, "/usr/sbin/nologin");
  const sudoers = `# podcap lab: the ops user reaches root only through sudo -n\n${OPS_USER} ALL=(ALL) NOPASSWD: ALL\n`;
  writeFileSync(`${paths.sudoers}.tmp`, sudoers, { mode: 0o440 });
  await run(["visudo", "-cqf", `${paths.sudoers}.tmp`]);
  await run(["mv", `${paths.sudoers}.tmp`, paths.sudoers]);
  mkdirSync(paths.keys, { recursive: true, mode: 0o700 });
  if (!existsSync(paths.userKey))
    await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "podcap-lab", "-f", paths.userKey]);
  mkdirSync(dirname(paths.authorizedKeys), { recursive: true, mode: 0o755 });
  writeFileSync(paths.authorizedKeys, readFileSync(`${paths.userKey}.pub`), { mode: 0o644 });
}

function sshdConfig(host: SshHost): string {
  return [
    `ListenAddress ${host.ip}:22`,
    `HostKey ${hostKey(host)}`,
    "PidFile none",
    `AuthorizedKeysFile ${paths.authorizedKeys}`,
    `PermitRootLogin ${host.user === "root" ? "prohibit-password" : "no"}`,
    ...(host.user === "root" ? [`SetEnv HOME=${rootHome(host)}`] : []),
    `AllowUsers ${host.user}`,
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "UsePAM no",
    "PrintMotd no",
    // podcap runs one channel per captured pod over a node's single connection.
    "MaxSessions 128",
    "MaxStartups 64:30:128",
    `AllowTcpForwarding ${host.jump ? "yes" : "no"}`,
    "Subsystem sftp internal-sftp",
    "LogLevel VERBOSE",
    "",
  ].join("\n");
}

function makeRootHome(host: SshHost): void {
  mkdirSync(rootHome(host), { recursive: true, mode: 0o700 });
  for (const rc of [".bashrc", ".profile"]) {
    const skel = join("/etc/skel", rc);
    if (existsSync(skel) && !existsSync(join(rootHome(host), rc)))
      copyFileSync(skel, join(rootHome(host), rc));
  }
}

export async function startSshds(): Promise<void> {
  await ensureUsersAndKeys();
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  for (const host of sshHosts()) {
    mkdirSync(nodeDir(host), { recursive: true });
    if (host.user === "root") makeRootHome(host);
    if (!existsSync(hostKey(host)))
      await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", host.name, "-f", hostKey(host)]);
    const config = join(nodeDir(host), "sshd_config");
    const wanted = sshdConfig(host);
    if (!existsSync(config) || readFileSync(config, "utf8") !== wanted) {
      await stopDaemon(daemonName(host));
      writeFileSync(config, wanted);
    }
    await run(["/usr/sbin/sshd", "-t", "-f", config]);
    await ensureDaemon(daemonName(host), inNetns(host.netns, ["/usr/sbin/sshd", "-D", "-e", "-f", config]));
  }
  for (const host of sshHosts()) {
    await waitFor(`sshd of ${host.name}`, async () => {
      const probe = await tryRun(inNetns(host.netns, ["bash", "-c", `exec 3<>/dev/tcp/${host.ip}/22`]));
      return probe.code === 0 ? true : undefined;
    });
  }
  await writeClientFiles();
}

/** Kills a node's sshd and every session it serves, then starts it again: the connection is cut. */
export async function restartSshd(nodeName: string): Promise<void> {
  const host = sshHosts().find((h) => h.name === nodeName);
  if (!host) throw new Error(`no lab ssh host ${nodeName}`);
  await killInNetns(host.netns, (comm) => comm === "sshd");
  await stopDaemon(daemonName(host));
  await startSshds();
}

/** Kills the processes living in a node's network namespace: its sshd and every session it serves. */
async function killInNetns(netns: string, which: (comm: string) => boolean = () => true): Promise<void> {
  const pids = (await tryRun(["ip", "netns", "pids", netns])).stdout.split("\n").filter(Boolean).map(Number);
  const doomed = pids.filter((pid) => {
    try {
      return which(readFileSync(`/proc/${pid}/comm`, "utf8").trim());
    } catch {
      return false;
    }
  });
  for (const pid of doomed) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  for (const pid of doomed) while (isAlive(pid)) await sleep(20);
}

async function writeClientFiles(): Promise<void> {
  const lines: string[] = [];
  const hashed: string[] = [];
  for (const host of sshHosts()) {
    const [type, key] = readFileSync(`${hostKey(host)}.pub`, "utf8")
      .trim()
      .split(/\s+/);
    // node-b's entry is hashed, as HashKnownHosts leaves it on Debian clients.
    (host.name === "node-b" ? hashed : lines).push(`${host.ip} ${type} ${key}`);
  }
  if (hashed.length > 0) {
    const scratch = join(LAB_DIR, "known_hosts.hashing");
    writeFileSync(scratch, `${hashed.join("\n")}\n`);
    await run(["ssh-keygen", "-q", "-H", "-f", scratch]);
    lines.push(...readFileSync(scratch, "utf8").trim().split("\n"));
    rmSync(scratch, { force: true });
    rmSync(`${scratch}.old`, { force: true });
  }
  writeFileSync(paths.knownHosts, `${lines.join("\n")}\n`);
  const config = sshHosts().map((host) =>
    [
      `Host ${host.name}`,
      `  HostName ${host.ip}`,
      `  User ${host.user}`,
      ...(host.name === "node-c" ? [`  ProxyJump ${BASTION.name}`] : []),
    ].join("\n"),
  );
  const common = [
    "Host *",
    `  IdentityFile ${paths.userKey}`,
    "  IdentitiesOnly yes",
    `  UserKnownHostsFile ${paths.knownHosts}`,
    "  GlobalKnownHostsFile /dev/null",
    "  StrictHostKeyChecking yes",
    "  BatchMode yes",
  ].join("\n");
  writeFileSync(
    paths.sshConfig,
    `# podcap lab: ssh -F ${paths.sshConfig} node-a\n${config.join("\n")}\n${common}\n`,
  );
}

export async function stopSshds(): Promise<void> {
  for (const host of sshHosts()) {
    await killInNetns(host.netns);
    await stopDaemon(daemonName(host));
  }
}

export async function removeUsers(): Promise<void> {
  for (const user of [OPS_USER, BASTION.user]) {
    await tryRun(["pkill", "-KILL", "-u", user]);
    await tryRun(["userdel", "-r", user]);
  }
  rmSync(paths.sudoers, { force: true });
}
