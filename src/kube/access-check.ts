// The pre-flight permission check: one SelfSubjectAccessReview per target namespace, asked before
// any SSH connection, so that SSH to the nodes is never a way around the cluster's RBAC. The
// API server answers from the same rules that would guard the request itself.

import { AuthorizationV1Api, type V1SelfSubjectAccessReview } from "@kubernetes/client-node";
import { AccessDenied } from "../errors.js";
import { type AccessRequirement, DEFAULT_ACCESS_REQUIREMENT, permissionName } from "./access-requirement.js";
import { type Kube, kubeError } from "./kube-client.js";

export type { AccessRequirement } from "./access-requirement.js";

export function accessReviewBody(namespace: string, required: AccessRequirement): V1SelfSubjectAccessReview {
  return {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectAccessReview",
    spec: {
      resourceAttributes: {
        namespace,
        verb: required.verb,
        group: required.group,
        resource: required.resource,
        ...(required.subresource ? { subresource: required.subresource } : {}),
      },
    },
  };
}

/** The refusal for the namespaces where the review said no (one error naming all of them). */
export function accessDenied(
  who: Pick<Kube, "user" | "context">,
  namespaces: readonly string[],
  required: AccessRequirement,
): AccessDenied {
  const permission = `${required.verb} ${permissionName(required)}`;
  const where =
    namespaces.length === 1
      ? `namespace "${namespaces[0]}"`
      : `namespaces ${namespaces.map((ns) => `"${ns}"`).join(", ")}`;
  const isDefault = permissionName(required) === permissionName(DEFAULT_ACCESS_REQUIREMENT);
  return new AccessDenied(
    `user "${who.user}" (context ${who.context}) may not ${permission} in ${where}, which capturing needs`,
    `ask a cluster admin for an RBAC Role granting ${permission} there ` +
      `(check with \`kubectl auth can-i ${permission} -n ${namespaces[0]} --context ${who.context}\`)` +
      (isDefault ? "" : "; the inventory's settings.access.require names this permission"),
  );
}

/** Namespace -> allowed, for every distinct namespace, reviewed in parallel. */
export async function reviewCaptureAccess(
  kube: Kube,
  namespaces: readonly string[],
  required: AccessRequirement = DEFAULT_ACCESS_REQUIREMENT,
): Promise<Map<string, boolean>> {
  const authorization = kube.config.makeApiClient(AuthorizationV1Api);
  const distinct = [...new Set(namespaces)];
  const answers = await Promise.all(
    distinct.map(async (namespace) => {
      try {
        const review = await authorization.createSelfSubjectAccessReview({
          body: accessReviewBody(namespace, required),
        });
        return [namespace, review.status?.allowed === true] as const;
      } catch (error) {
        throw kubeError(error, kube);
      }
    }),
  );
  return new Map(answers);
}

/**
 * Throws AccessDenied naming the permission, the user and every refused namespace; returns when
 * the user may capture in all of them. Call it after resolving the targets and before any SSH.
 */
export async function checkCaptureAccess(
  kube: Kube,
  namespaces: readonly string[],
  required: AccessRequirement = DEFAULT_ACCESS_REQUIREMENT,
): Promise<void> {
  const answers = await reviewCaptureAccess(kube, namespaces, required);
  const refused = [...answers].filter(([, allowed]) => !allowed).map(([namespace]) => namespace);
  if (refused.length > 0) throw accessDenied(kube, refused, required);
}
