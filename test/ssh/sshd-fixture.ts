// A real OpenSSH sshd on 127.0.0.1 and a free high port, with its own host key, client key and
// known_hosts in a temp dir: what podcap meets on a node, without the lab. Needs root (sshd
// privilege separation) and /usr/sbin/sshd; the suites skip themselves otherwise.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HopTarget, SshTarget } from "../../src/inventory/ssh-target.js";

export const SSHD = "/usr/sbin/sshd";
export const canRunSshd = existsSync(SSHD) && process.getuid?.() === 0;

export interface Sshd {
  dir: string;
  port: number;
  /** `ssh-ed25519 AAAA...` of the server's first host key. */
  hostPublicKey: string;
  /** Every host key the server has, by ssh-keygen type. */
  hostPublicKeys: Partial<Record<KeyType, string>>;
  /** The server's host key file (private), for `ssh-keygen -lf`. */
  hostKeyFile: string;
  /** An unencrypted client key that the server accepts. */
  clientKey: string;
  /** A known_hosts file that already trusts this server. */
  knownHosts: string;
  stop(): Promise<void>;
}

export type KeyType = "ed25519" | "ecdsa" | "rsa";

export function keygen(file: string, passphrase = "", type: KeyType = "ed25519"): string {
  const size = type === "rsa" ? ["-b", "2048"] : [];
  execFileSync("ssh-keygen", ["-q", "-t", type, ...size, "-N", passphrase, "-C", "podcap-test", "-f", file]);
  return readFileSync(`${file}.pub`, "utf8").trim().split(" ").slice(0, 2).join(" ");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

function waitForListening(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => reject(new Error(`sshd did not start:\n${log}`)), 10_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes(`Server listening on 127.0.0.1 port ${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited with ${code}:\n${log}`));
    });
  });
}

interface SshdFiles {
  config: string;
  port: number;
  hostPublicKey: string;
  hostPublicKeys: Partial<Record<KeyType, string>>;
  hostKeyFile: string;
  clientKey: string;
  knownHosts: string;
}

async function writeSshdFiles(dir: string, hostKeyTypes: KeyType[]): Promise<SshdFiles> {
  const hostKeyFiles = hostKeyTypes.map((type) => join(dir, `host_${type}`));
  const hostPublicKeys: Partial<Record<KeyType, string>> = {};
  hostKeyTypes.forEach((type, index) => {
    hostPublicKeys[type] = keygen(hostKeyFiles[index] ?? "", "", type);
  });
  const hostPublicKey = hostPublicKeys[hostKeyTypes[0] ?? "ed25519"] ?? "";
  const clientKey = join(dir, "id_ed25519");
  writeFileSync(join(dir, "authorized_keys"), `${keygen(clientKey)}\n`);
  const port = await freePort();
  const knownHosts = join(dir, "known_hosts");
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostPublicKey}\n`);
  const config = join(dir, "sshd_config");
  const lines = [
    `Port ${port}`,
    "ListenAddress 127.0.0.1",
    ...hostKeyFiles.map((file) => `HostKey ${file}`),
    `PidFile ${join(dir, "sshd.pid")}`,
    `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
    "PermitRootLogin prohibit-password",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "UsePAM no",
    // The temp dir is not root-only all the way up.
    "StrictModes no",
    "AllowTcpForwarding yes",
    "Subsystem sftp internal-sftp",
    "LogLevel VERBOSE",
  ];
  writeFileSync(config, `${lines.join("\n")}\n`);
  return {
    config,
    port,
    hostPublicKey,
    hostPublicKeys,
    hostKeyFile: hostKeyFiles[0] ?? "",
    clientKey,
    knownHosts,
  };
}

/** Starts sshd with host keys of the given types (ed25519 alone by default). */
export async function startSshd(options: { hostKeyTypes?: KeyType[] } = {}): Promise<Sshd> {
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), "podcap-sshd-"));
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const files = await writeSshdFiles(dir, options.hostKeyTypes ?? ["ed25519"]);
    child = spawn(SSHD, ["-f", files.config, "-D", "-e"], { stdio: ["ignore", "ignore", "pipe"] });
    await waitForListening(child, files.port);
    return { dir, ...files, stop };
  } catch (error) {
    // A half-started fixture must not leave its sshd or its keys behind.
    await stop();
    throw error;
  }
}

/** How podcap would reach this sshd directly as root with the fixture's key. */
export function hopFor(sshd: Sshd, overrides: Partial<HopTarget> = {}): HopTarget {
  return {
    host: "127.0.0.1",
    port: sshd.port,
    user: "root",
    identityFiles: [sshd.clientKey],
    knownHostsFiles: [sshd.knownHosts],
    ...overrides,
  };
}

export function targetFor(sshd: Sshd, overrides: Partial<SshTarget> = {}): SshTarget {
  return {
    ...hopFor(sshd),
    nodeName: "test-node",
    jump: [],
    sudo: false,
    runtimes: [],
    sockets: {},
    tcpdumpPath: "tcpdump",
    ...overrides,
  };
}
