// Which representation the client asked for in its Accept header. kubectl get asks for
// `application/json;as=Table;v=v1;g=meta.k8s.io, ..., application/json`; client-node and
// `kubectl get -o json` ask for plain JSON. Protobuf is never offered, so clients that list it
// first fall through to their JSON alternative, as client-go does with a JSON-only server.

import { notAcceptable } from "./status.js";

export type Representation =
  | { as: "object" }
  | { as: "Table"; apiVersion: string }
  | { as: "PartialObjectMetadata"; apiVersion: string };

interface MediaRange {
  type: string;
  params: Map<string, string>;
}

function parseAccept(header: string): MediaRange[] {
  return header
    .split(",")
    .map((range) => {
      const [type = "", ...params] = range.split(";").map((part) => part.trim());
      const pairs = params.map((param): [string, string] => {
        const [key = "", value = ""] = param.split("=", 2);
        return [key.trim(), value.trim().replace(/^"|"$/g, "")];
      });
      return { type: type.toLowerCase(), params: new Map(pairs) };
    })
    .filter((range) => range.type !== "");
}

const jsonTypes = new Set(["application/json", "application/*", "*/*"]);
const metaVersions = new Set(["v1", "v1beta1"]);

function representationOf(range: MediaRange): Representation | undefined {
  if (!jsonTypes.has(range.type)) return undefined;
  const as = range.params.get("as");
  if (as === undefined) return { as: "object" };
  const version = range.params.get("v") ?? "";
  if (range.params.get("g") !== "meta.k8s.io" || !metaVersions.has(version)) return undefined;
  const apiVersion = `meta.k8s.io/${version}`;
  if (as === "Table") return { as: "Table", apiVersion };
  if (as === "PartialObjectMetadata" || as === "PartialObjectMetadataList") {
    return { as: "PartialObjectMetadata", apiVersion };
  }
  return undefined;
}

/** The first acceptable representation in the client's order; 406 when none can be served. */
export function negotiate(accept: string | undefined): Representation {
  if (accept === undefined || accept.trim() === "") return { as: "object" };
  for (const range of parseAccept(accept)) {
    const representation = representationOf(range);
    if (representation !== undefined) return representation;
  }
  throw notAcceptable();
}
