// One SSH endpoint (a node or a jump host) from three layers, most specific first: the
// inventory's fields, ~/.ssh/config for the name, then OpenSSH's defaults. A jump host that
// neither layer gives keys or known_hosts to borrows the node's, so one inventory key reaches
// both.

import type { NodeEntry } from "./inventory-schema.js";
import {
  DEFAULT_GLOBAL_KNOWN_HOSTS,
  defaultIdentityFiles,
  defaultUserKnownHosts,
  type LocalEnvironment,
} from "./local-environment.js";
import { resolveLocalPath } from "./local-paths.js";
import type { SshConfig } from "./ssh-config-file.js";
import { lookupSshConfig, type SshConfigHost } from "./ssh-config-lookup.js";
import type { HopTarget } from "./ssh-target.js";

const DEFAULT_PORT = 22;

export type EndpointFields = Pick<
  NodeEntry,
  "host" | "user" | "port" | "identityFiles" | "agent" | "knownHosts" | "hostKeyAlias"
>;

export interface ResolveContext {
  sshConfig: SshConfig;
  env: LocalEnvironment;
  /** Directory of the inventory file, for its relative paths. */
  baseDir: string;
}

export interface EndpointRequest {
  /** The name looked up in ~/.ssh/config. */
  configName: string;
  /** Used when neither the inventory nor ~/.ssh/config gives a host name. */
  fallbackHost: string;
  fields: EndpointFields;
  /** The node's choices, for jump hosts (see the file comment). */
  inherit?: Pick<HopTarget, "identityFiles" | "agent" | "knownHostsFiles">;
}

/** `false` means "explicitly no agent"; undefined means "not said here". */
type AgentChoice = string | false | undefined;

/** The first layer that says something decides, even when it says "no agent". */
function firstChoice(...choices: AgentChoice[]): string | undefined {
  const decided = choices.find((choice) => choice !== undefined);
  return decided === false ? undefined : decided;
}

function agentFromInventory(agent: EndpointFields["agent"], context: ResolveContext): AgentChoice {
  if (agent === undefined) return undefined;
  if (agent === false) return false;
  if (agent === true) return context.env.agentSocket ?? false;
  return resolveLocalPath(agent, context.baseDir, context.env.home);
}

function agentFromSshConfig(config: SshConfigHost, env: LocalEnvironment): AgentChoice {
  const agent = config.identityAgent;
  // IdentitiesOnly: only the configured files; the agent would offer all of its keys.
  if (agent === undefined) return config.identitiesOnly ? false : undefined;
  if (agent.toLowerCase() === "none") return false;
  if (agent === "SSH_AUTH_SOCK" || agent === "$SSH_AUTH_SOCK") return env.agentSocket ?? false;
  return agent;
}

function knownHostsFromSshConfig(config: SshConfigHost, env: LocalEnvironment): string[] | undefined {
  if (!config.userKnownHostsFiles && !config.globalKnownHostsFiles) return undefined;
  return [
    ...(config.userKnownHostsFiles ?? defaultUserKnownHosts(env)),
    ...(config.globalKnownHostsFiles ?? DEFAULT_GLOBAL_KNOWN_HOSTS),
  ];
}

/** The endpoint, plus the ProxyJump ~/.ssh/config gives for it (the caller decides its use). */
export function resolveEndpoint(
  request: EndpointRequest,
  context: ResolveContext,
): { hop: HopTarget; proxyJump?: string } {
  const { fields, inherit } = request;
  const { env } = context;
  const config = lookupSshConfig(context.sshConfig, request.configName, env);
  const local = (paths: string[] | undefined) =>
    paths?.map((path) => resolveLocalPath(path, context.baseDir, env.home));
  const agent = firstChoice(
    agentFromInventory(fields.agent, context),
    agentFromSshConfig(config, env),
    inherit ? (inherit.agent ?? false) : undefined,
    env.agentSocket,
  );
  const hostKeyAlias = fields.hostKeyAlias ?? config.hostKeyAlias;
  const hop: HopTarget = {
    host: fields.host ?? config.hostName ?? request.fallbackHost,
    port: fields.port ?? config.port ?? DEFAULT_PORT,
    user: fields.user ?? config.user ?? env.localUser,
    identityFiles:
      local(fields.identityFiles) ??
      config.identityFiles ??
      inherit?.identityFiles ??
      defaultIdentityFiles(env),
    knownHostsFiles: local(fields.knownHosts) ??
      knownHostsFromSshConfig(config, env) ??
      inherit?.knownHostsFiles ?? [...defaultUserKnownHosts(env), ...DEFAULT_GLOBAL_KNOWN_HOSTS],
    ...(agent ? { agent } : {}),
    ...(hostKeyAlias ? { hostKeyAlias } : {}),
  };
  return { hop, ...(config.proxyJump ? { proxyJump: config.proxyJump } : {}) };
}
