// The order podcap authenticates in, as ssh does: agent keys first, then each identity file.
// ssh2's default handler would also try "none" and passwords; podcap never does either.

import type { AnyAuthMethod, AuthenticationType, AuthHandlerMiddleware, NextAuthHandler } from "ssh2";
import { AuthFailed } from "../errors.js";
import type { Identities } from "./identities.js";

export interface AuthInputs {
  user: string;
  agent?: string;
  identities: Identities;
}

export function authMethods(inputs: AuthInputs): AnyAuthMethod[] {
  const methods: AnyAuthMethod[] = [];
  if (inputs.agent) methods.push({ type: "agent", username: inputs.user, agent: inputs.agent });
  for (const identity of inputs.identities.usable) {
    methods.push({ type: "publickey", username: inputs.user, key: identity.key });
  }
  return methods;
}

/** An ssh2 authHandler walking through `methods`, then giving up. */
export function authHandler(methods: readonly AnyAuthMethod[]): AuthHandlerMiddleware {
  let next = 0;
  return (_methodsLeft: AuthenticationType[], _partial: boolean, callback: NextAuthHandler) => {
    const method = methods[next++];
    // ssh2 documents `false` as "no more methods"; its typings only list the method shapes.
    callback(method ?? (false as unknown as AnyAuthMethod));
  };
}

/** The AuthFailed error, saying what was tried so the user can see what is missing. */
export function authFailure(
  label: string,
  inputs: AuthInputs,
  agentProblem?: string,
  cause?: unknown,
): AuthFailed {
  const tried = inputs.identities.usable.map((identity) => identity.file);
  const encrypted = inputs.identities.skipped.filter((skip) => skip.reason === "encrypted");
  const other = inputs.identities.skipped.filter((skip) => skip.reason !== "encrypted");
  const parts = [
    `user ${inputs.user}`,
    inputs.agent
      ? `agent ${inputs.agent}${agentProblem ? ` (${agentProblem})` : ""}`
      : "no agent (SSH_AUTH_SOCK unset or disabled)",
    tried.length ? `keys ${tried.join(", ")}` : "no usable key file",
    ...other.map((skip) => `${skip.file} ${skip.reason}`),
  ];
  const hints = [`tried ${parts.join("; ")}`];
  if (encrypted.length) {
    const files = encrypted.map((skip) => skip.file).join(", ");
    hints.push(
      `${files} needs a passphrase: podcap never prompts, load it with \`ssh-add ${encrypted[0]?.file}\``,
    );
  }
  hints.push("set user/identityFiles/agent for this node in the inventory or ~/.ssh/config");
  return new AuthFailed(`${label}: the server refused every key`, hints.join(". "), { cause });
}
