// What a request is about, worked out from its method and path the way kube-apiserver's
// RequestInfoFactory does it: authorization and routing both start from this.

export interface NonResourceRequest {
  kind: "nonResource";
  path: string;
  verb: string;
}

export interface ResourceRequestInfo {
  kind: "resource";
  verb: string;
  group: string;
  version: string;
  resource: string;
  /** "" for cluster-scoped requests and for lists across all namespaces. */
  namespace: string;
  name: string;
  subresource: string;
}

export type RequestInfo = NonResourceRequest | ResourceRequestInfo;

// /api/v1/namespaces/NS/status is the namespace's own subresource, not a resource "status" in NS.
const namespaceSubresources = new Set(["status", "finalize"]);

const verbForMethod: Record<string, string> = {
  POST: "create",
  PUT: "update",
  PATCH: "patch",
};

const truthy = (value: string | null) => value === "true" || value === "1";

export function requestInfo(method: string, url: URL): RequestInfo {
  const parts = url.pathname.split("/").filter((part) => part !== "");
  const nonResource: NonResourceRequest = {
    kind: "nonResource",
    path: url.pathname,
    verb: method.toLowerCase(),
  };
  const prefixLength = parts[0] === "api" ? 2 : parts[0] === "apis" ? 3 : 0;
  if (prefixLength === 0 || parts.length <= prefixLength) return nonResource;

  const group = prefixLength === 3 ? (parts[1] ?? "") : "";
  const version = parts[prefixLength - 1] ?? "";
  let rest = parts.slice(prefixLength);
  // The deprecated /watch/ path prefix still works on real clusters.
  const watchPath = rest[0] === "watch";
  if (watchPath) rest = rest.slice(1);

  // As in kube-apiserver, /api/v1/namespaces/NAME is the namespace NAME and also its scope.
  let namespace = "";
  if (rest[0] === "namespaces" && rest.length > 1) {
    namespace = rest[1] ?? "";
    if (rest.length > 2 && !namespaceSubresources.has(rest[2] ?? "")) rest = rest.slice(2);
  }
  const [resource = "", name = "", subresource = ""] = rest;

  let verb: string;
  if (watchPath) verb = "watch";
  else if (method === "GET" || method === "HEAD")
    verb = name !== "" ? "get" : truthy(url.searchParams.get("watch")) ? "watch" : "list";
  else if (method === "DELETE") verb = name !== "" ? "delete" : "deletecollection";
  else verb = verbForMethod[method] ?? method.toLowerCase();

  return { kind: "resource", verb, group, version, resource, namespace, name, subresource };
}
