// Who is at this machine, for the audit record: the OS user, the user who ran sudo when podcap
// runs under it (root alone would say nothing about the person), and the host name.

import { hostname, userInfo } from "node:os";
import type { Kube } from "../kube/kube-client.js";
import type { AuditWho } from "./audit-record.js";

export function localIdentity(
  env: NodeJS.ProcessEnv = process.env,
): Omit<AuditWho, "kubeUser" | "kubeContext" | "cluster"> {
  let localUser: string;
  try {
    localUser = userInfo().username;
  } catch {
    // A uid with no passwd entry (containers): the environment is all there is.
    localUser = env.USER ?? env.LOGNAME ?? `uid ${process.getuid?.() ?? "unknown"}`;
  }
  const sudoUser = env.SUDO_USER && env.SUDO_USER !== localUser ? env.SUDO_USER : undefined;
  return { localUser, ...(sudoUser ? { sudoUser } : {}), localHost: hostname() };
}

/** The whole `who` of a record: the context's kube user and this machine's user. */
export function auditWho(kube: Pick<Kube, "user" | "context" | "server">, env?: NodeJS.ProcessEnv): AuditWho {
  return { kubeUser: kube.user, kubeContext: kube.context, cluster: kube.server, ...localIdentity(env) };
}
