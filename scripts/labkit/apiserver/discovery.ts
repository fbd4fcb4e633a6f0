// Discovery, the legacy (unaggregated) way. kubectl 1.32 first asks for aggregated discovery
// (apidiscovery.k8s.io/v2); a plain application/json answer makes it fall back to walking
// /api, /apis and each group version, which is all the lab needs to serve.

import type {
  V1APIGroup,
  V1APIGroupList,
  V1APIResource,
  V1APIResourceList,
  V1APIVersions,
  VersionInfo,
} from "@kubernetes/client-node";
import { apiVersionOf, type ResourceDefinition } from "./resource-definition.js";
import { servedResources } from "./resources.js";

/** Resources that are verbs rather than collections, served by their own handlers. */
const reviewResources: (V1APIResource & { group: string; version: string })[] = [
  {
    group: "authorization.k8s.io",
    version: "v1",
    name: "selfsubjectaccessreviews",
    singularName: "selfsubjectaccessreview",
    namespaced: false,
    kind: "SelfSubjectAccessReview",
    verbs: ["create"],
  },
];

export const labVersion: VersionInfo = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.0-podcap-lab",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2025-01-01T00:00:00Z",
  goVersion: "go1.23.0",
  compiler: "gc",
  platform: "linux/amd64",
};

function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const entry of [...servedResources, ...reviewResources]) seen.set(apiVersionOf(entry), entry);
  return [...seen.values()];
}

function apiGroup(name: string): V1APIGroup {
  const versions = groupVersions()
    .filter((gv) => gv.group === name)
    .map((gv) => ({ groupVersion: apiVersionOf(gv), version: gv.version }));
  return { kind: "APIGroup", apiVersion: "v1", name, versions, preferredVersion: versions[0] };
}

function asApiResources(definition: ResourceDefinition): V1APIResource[] {
  const main: V1APIResource = {
    name: definition.resource,
    singularName: definition.singularName,
    namespaced: definition.namespaced,
    kind: definition.kind,
    verbs: definition.verbs,
    shortNames: definition.shortNames,
    categories: definition.categories,
  };
  const subresources = (definition.subresources ?? []).map((sub) => ({
    name: `${definition.resource}/${sub.name}`,
    singularName: "",
    namespaced: definition.namespaced,
    kind: sub.kind,
    verbs: sub.verbs,
  }));
  return [main, ...subresources];
}

function resourceList(group: string, version: string): V1APIResourceList | undefined {
  const inVersion = (entry: { group: string; version: string }) =>
    entry.group === group && entry.version === version;
  const resources = [
    ...servedResources.filter(inVersion).flatMap(asApiResources),
    ...reviewResources.filter(inVersion).map(({ group: _g, version: _v, ...resource }) => resource),
  ];
  if (resources.length === 0) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: apiVersionOf({ group, version }),
    resources,
  };
}

/**
 * The discovery document at `path`, or undefined when the path is not a discovery path.
 * `serverAddress` is host:port as the client reached us, echoed in /api like a real apiserver.
 */
export function discoveryDocument(path: string, serverAddress: string): object | undefined {
  if (path === "/version") return labVersion;
  if (path === "/api") {
    const versions: V1APIVersions = {
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
    };
    return versions;
  }
  if (path === "/apis") {
    const names = [...new Set(groupVersions().map((gv) => gv.group))].filter((name) => name !== "");
    const list: V1APIGroupList = { kind: "APIGroupList", apiVersion: "v1", groups: names.map(apiGroup) };
    return list;
  }
  if (path === "/api/v1") return resourceList("", "v1");
  const groupPath = /^\/apis\/([^/]+)$/.exec(path);
  if (groupPath?.[1] !== undefined) {
    const group = apiGroup(groupPath[1]);
    return group.versions.length > 0 ? group : undefined;
  }
  const versionPath = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
  if (versionPath?.[1] !== undefined && versionPath[2] !== undefined)
    return resourceList(versionPath[1], versionPath[2]);
  return undefined;
}
