// Who may do what: bearer-token users with RBAC-like rules. Small on purpose: the lab needs
// "admin can do anything, viewer can only read, operator can also exec", with the same answers
// and the same refusal texts as a real apiserver, so podcap's AccessDenied path is tested for real.

import type { V1ResourceAttributes } from "@kubernetes/client-node";

export interface AccessRule {
  /** get, list, watch, create, update, patch, delete, deletecollection, or "*". */
  verbs: string[];
  /** "pods", "pods/exec" (a subresource), "pods/*", or "*" (everything, subresources included). */
  resources: string[];
  /** API groups: "" is the core group, "*" any; omitted means any. */
  apiGroups?: string[];
  /** Namespaces the rule is limited to; omitted means all, cluster-scoped objects included. */
  namespaces?: string[];
}

export interface LabUser {
  token: string;
  username: string;
  groups?: string[];
  rules: AccessRule[];
}

/** What a request asks to do; the same shape as a SelfSubjectAccessReview's resourceAttributes. */
export type ResourceRequest = Pick<
  V1ResourceAttributes,
  "verb" | "group" | "resource" | "subresource" | "namespace" | "name"
>;

// Every authenticated user of a real cluster may ask what it is allowed to do (system:basic-user).
const everyUserRules: AccessRule[] = [
  { verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews"] },
];

const listed = (allowed: string[] | undefined, value: string) =>
  allowed === undefined || allowed.includes("*") || allowed.includes(value);

function resourceMatches(allowed: string[], resource: string, subresource: string): boolean {
  const wanted = subresource === "" ? resource : `${resource}/${subresource}`;
  return allowed.some(
    (entry) => entry === "*" || entry === wanted || (subresource !== "" && entry === `${resource}/*`),
  );
}

function ruleAllows(rule: AccessRule, request: ResourceRequest): boolean {
  const namespace = request.namespace ?? "";
  return (
    listed(rule.verbs, request.verb ?? "") &&
    listed(rule.apiGroups, request.group ?? "") &&
    resourceMatches(rule.resources, request.resource ?? "", request.subresource ?? "") &&
    (rule.namespaces === undefined || (namespace !== "" && rule.namespaces.includes(namespace)))
  );
}

export function isAllowed(user: LabUser, request: ResourceRequest): boolean {
  return [...everyUserRules, ...user.rules].some((rule) => ruleAllows(rule, request));
}

/** Discovery, /version, /healthz and the like: readable by anyone who logged in, as on kubeadm clusters. */
export function isNonResourceAllowed(verb: string): boolean {
  return verb === "get" || verb === "head";
}

export function findUserByToken(
  users: readonly LabUser[],
  authorization: string | undefined,
): LabUser | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (match === null) return undefined;
  return users.find((user) => user.token === match[1]);
}

/** The authorizer's reason, word for word as kube-apiserver phrases it. */
export function denialReason(user: LabUser, request: ResourceRequest): string {
  const resource = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
  const where = request.namespace ? `in the namespace "${request.namespace}"` : "at the cluster scope";
  return `User "${user.username}" cannot ${request.verb} resource "${resource}" in API group "${request.group ?? ""}" ${where}`;
}
