// POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews: "may I?" answered from the same
// rules that guard real requests, so `kubectl auth can-i` and podcap's pre-flight checks agree
// with what the server then does.

import type { IncomingMessage } from "node:http";
import type { V1SelfSubjectAccessReview, V1SubjectAccessReviewStatus } from "@kubernetes/client-node";
import { isAllowed, isNonResourceAllowed, type LabUser } from "./access.js";
import { parseJsonBody, readBody } from "./http-io.js";
import { decodeAccessReview, protobufMediaType } from "./protobuf-access-review.js";
import { badRequest } from "./status.js";
import { fromWire, type JsonObject, toWire } from "./wire.js";

const model = "V1SelfSubjectAccessReview";

export function reviewAccess(user: LabUser, body: unknown): JsonObject {
  const review = fromWire<V1SelfSubjectAccessReview>(body, model);
  const { resourceAttributes, nonResourceAttributes } = review.spec ?? {};
  let status: V1SubjectAccessReviewStatus;
  if (resourceAttributes !== undefined) {
    status = { allowed: isAllowed(user, resourceAttributes) };
  } else if (nonResourceAttributes !== undefined) {
    status = { allowed: isNonResourceAllowed(nonResourceAttributes.verb ?? "") };
  } else {
    throw badRequest("spec: exactly one of nonResourceAttributes or resourceAttributes must be specified");
  }
  return toWire(
    {
      ...review,
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      metadata: {},
      status,
    },
    model,
  );
}

/** The review in the request, sent as JSON (client-node) or protobuf (kubectl). */
export async function readAccessReview(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req);
  return body.type === protobufMediaType ? decodeAccessReview(body.bytes) : parseJsonBody(body);
}
