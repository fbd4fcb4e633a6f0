// What ~/.ssh/config says about one host name, first value wins as in ssh_config(5), read with
// the same names and tokens as OpenSSH. `Match exec` is not run: resolving a node must not
// start programs.

import { matchPatternList } from "../ssh/host-pattern.js";
import { expandHome } from "./local-paths.js";
import type { SshConfig } from "./ssh-config-file.js";

export interface SshConfigHost {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles?: string[];
  proxyJump?: string;
  userKnownHostsFiles?: string[];
  globalKnownHostsFiles?: string[];
  hostKeyAlias?: string;
  /** A socket path, `SSH_AUTH_SOCK`, or `none`. */
  identityAgent?: string;
  identitiesOnly?: boolean;
}

export interface TokenContext {
  home: string;
  localUser: string;
  uid: number;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function list(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(/\s+/)).filter(Boolean);
}

/** ssh_config(5) TOKENS that make sense before connecting; others are left as written. */
function expandTokens(value: string, tokens: Record<string, string>): string {
  return value.replace(/%(.)/g, (whole, letter: string) => tokens[letter] ?? whole);
}

/** True when a Host line other than a bare `*` names this host: the user configured it. */
export function hasHostBlock(config: SshConfig, name: string): boolean {
  return config.some((line) => {
    if (!("param" in line) || line.param.toLowerCase() !== "host") return false;
    const patterns = Array.isArray(line.value) ? line.value.map((item) => item.val) : line.value.split(/\s+/);
    return (
      patterns.some((pattern) => pattern !== "*" && !pattern.startsWith("!")) &&
      matchPatternList(name, patterns)
    );
  });
}

export function lookupSshConfig(config: SshConfig, name: string, context: TokenContext): SshConfigHost {
  const computed = config.compute(name, { ignoreCase: true, matchExec: false });
  const user = first(computed.user);
  const hostName = first(computed.hostname);
  const portText = first(computed.port);
  const port = portText === undefined ? undefined : Number(portText);
  const tokens: Record<string, string> = {
    "%": "%",
    d: context.home,
    h: hostName ? hostName.replaceAll("%h", name) : name,
    n: name,
    p: String(port ?? 22),
    r: user ?? context.localUser,
    u: context.localUser,
    i: String(context.uid),
  };
  const path = (value: string) => expandHome(expandTokens(value, tokens), context.home);
  const paths = (value: string | string[] | undefined) => list(value)?.map(path);
  const identityFiles = paths(computed.identityfile);
  const userKnownHostsFiles = paths(computed.userknownhostsfile);
  const globalKnownHostsFiles = paths(computed.globalknownhostsfile);
  const proxyJump = first(computed.proxyjump);
  const hostKeyAlias = first(computed.hostkeyalias);
  const identityAgent = first(computed.identityagent);
  const identitiesOnly = first(computed.identitiesonly);
  return {
    ...(hostName ? { hostName: expandTokens(hostName, { "%": "%", h: name }) } : {}),
    ...(user ? { user } : {}),
    ...(port !== undefined && Number.isInteger(port) ? { port } : {}),
    ...(identityFiles ? { identityFiles } : {}),
    ...(proxyJump ? { proxyJump } : {}),
    ...(userKnownHostsFiles ? { userKnownHostsFiles } : {}),
    ...(globalKnownHostsFiles ? { globalKnownHostsFiles } : {}),
    ...(hostKeyAlias ? { hostKeyAlias } : {}),
    ...(identityAgent
      ? { identityAgent: identityAgent === "SSH_AUTH_SOCK" ? identityAgent : path(identityAgent) }
      : {}),
    ...(identitiesOnly ? { identitiesOnly: identitiesOnly.toLowerCase() === "yes" } : {}),
  };
}
