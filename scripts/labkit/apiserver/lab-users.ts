// The three lab identities. podcap needs to read pods and nodes; exec and events are what an
// operator adds. The viewer exists so the "not allowed" paths are exercised against real refusals.

import { randomBytes } from "node:crypto";
import type { AccessRule, LabUser } from "./access.js";

export type LabUserName = "admin" | "viewer" | "operator";

const read = ["get", "list", "watch"];
// Like the built-in "view" role: the objects that say which pods make up a workload or service.
const readCluster: AccessRule[] = [
  {
    verbs: read,
    apiGroups: [""],
    resources: ["pods", "nodes", "namespaces", "events", "services", "endpoints"],
  },
  {
    verbs: read,
    apiGroups: ["apps", "batch", "discovery.k8s.io"],
    resources: ["deployments", "replicasets", "statefulsets", "daemonsets", "jobs", "endpointslices"],
  },
];

export const labUserRules: Record<LabUserName, AccessRule[]> = {
  admin: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }],
  viewer: readCluster,
  operator: [...readCluster, { verbs: ["create"], apiGroups: [""], resources: ["pods/exec", "events"] }],
};

/** A token that is only valid for this lab; 32 random bytes, hex. */
export const newToken = () => randomBytes(32).toString("hex");

/** admin, viewer and operator, with the given tokens or fresh ones. */
export function labUsers(tokens: Partial<Record<LabUserName, string>> = {}): LabUser[] {
  return (Object.keys(labUserRules) as LabUserName[]).map((username) => ({
    username,
    token: tokens[username] ?? newToken(),
    rules: labUserRules[username],
  }));
}
