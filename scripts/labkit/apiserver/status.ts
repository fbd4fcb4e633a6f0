// Failures travel as `Status` objects, the way kube-apiserver reports them, so kubectl prints its
// usual one-liners ("Error from server (NotFound): pods "x" not found") and client-node raises
// ApiException with the right code. Handlers throw ApiError; the server turns it into a response.

import type { V1Status, V1StatusDetails } from "@kubernetes/client-node";

export class ApiError extends Error {
  constructor(readonly status: V1Status & { code: number }) {
    super(status.message);
  }
}

function failure(code: number, reason: string, message: string, details?: V1StatusDetails): ApiError {
  return new ApiError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    details,
    code,
  });
}

/** "pods", or "deployments.apps" outside the core group: how the apiserver names a resource in messages. */
const qualified = (resource: string, group: string) => (group === "" ? resource : `${resource}.${group}`);

export function notFound(resource: string, name: string, group = ""): ApiError {
  return failure(404, "NotFound", `${qualified(resource, group)} "${name}" not found`, {
    name,
    group,
    kind: resource,
  });
}

export function pathNotFound(): ApiError {
  return failure(404, "NotFound", "the server could not find the requested resource", {});
}

export function unauthorized(): ApiError {
  return failure(401, "Unauthorized", "Unauthorized");
}

export function forbidden(
  resource: string,
  group: string,
  name: string | undefined,
  reason: string,
): ApiError {
  const subject = name ? `${qualified(resource, group)} "${name}"` : qualified(resource, group);
  return failure(403, "Forbidden", `${subject} is forbidden: ${reason}`, { name, group, kind: resource });
}

export function forbiddenPath(reason: string): ApiError {
  return failure(403, "Forbidden", `forbidden: ${reason}`);
}

export function badRequest(message: string): ApiError {
  return failure(400, "BadRequest", message);
}

export function methodNotAllowed(
  message = "the server does not allow this method on the requested resource",
): ApiError {
  return failure(405, "MethodNotAllowed", message);
}

export function unsupportedMediaType(contentType: string): ApiError {
  return failure(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: application/json (got ${contentType})`,
  );
}

export function alreadyExists(resource: string, name: string, group = ""): ApiError {
  return failure(409, "AlreadyExists", `${qualified(resource, group)} "${name}" already exists`, {
    name,
    group,
    kind: resource,
  });
}

export function invalid(kind: string, name: string, message: string): ApiError {
  return failure(422, "Invalid", `${kind} "${name}" is invalid: ${message}`, { name, kind });
}

export function notAcceptable(): ApiError {
  return failure(
    406,
    "NotAcceptable",
    "only the following media types are accepted: application/json, and with as=Table or as=PartialObjectMetadata;g=meta.k8s.io",
  );
}

export function internalError(message: string): ApiError {
  return failure(
    500,
    "InternalError",
    `an error on the server ("${message}") has prevented the request from succeeding`,
  );
}

/** The watch cache no longer holds events that old: the client must list again. */
export function expired(requested: number, oldest: number): ApiError {
  return failure(410, "Expired", `too old resource version: ${requested} (${oldest})`);
}
