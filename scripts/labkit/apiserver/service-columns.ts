// The `kubectl get` columns of Services, Endpoints and EndpointSlices, as kube-apiserver prints
// them (printService, printEndpoints, printEndpointSlice): at most three addresses, then
// "+ N more...".

import type { V1EndpointSlice, V1Endpoints, V1Service } from "@kubernetes/client-node";
import { formatLabels } from "./label-selector-objects.js";
import { ageColumn, nameColumn, type TableColumn } from "./table.js";

const shown = 3;

/** listWithMoreString; `empty` is what the printer says for nothing. */
function firstFew(items: string[], empty: string): string {
  if (items.length === 0) return empty;
  const list = items.slice(0, shown).join(",");
  return items.length > shown ? `${list} + ${items.length - shown} more...` : list;
}

// Type and protocol as the apiserver's defaulting fills them in when an object leaves them out.
const serviceType = (service: V1Service) => service.spec?.type ?? "ClusterIP";

function externalIp(service: V1Service): string {
  const external = service.spec?.externalIPs ?? [];
  switch (serviceType(service)) {
    case "ClusterIP":
    case "NodePort":
      return external.length > 0 ? external.join(",") : "<none>";
    case "LoadBalancer": {
      const ingress = (service.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || "");
      const all = [...new Set(ingress.filter(Boolean))].sort().concat(external);
      return all.length > 0 ? all.join(",") : "<pending>";
    }
    case "ExternalName":
      return service.spec?.externalName ?? "";
    default:
      return "<unknown>";
  }
}

function ports(service: V1Service): string {
  const pieces = (service.spec?.ports ?? []).map((port) => {
    const protocol = port.protocol ?? "TCP";
    return port.nodePort ? `${port.port}:${port.nodePort}/${protocol}` : `${port.port}/${protocol}`;
  });
  return pieces.length > 0 ? pieces.join(",") : "<none>";
}

export const serviceColumns: TableColumn<V1Service>[] = [
  nameColumn(),
  { name: "Type", type: "string", description: "How the Service is exposed.", cell: serviceType },
  {
    name: "Cluster-IP",
    type: "string",
    description: "The IP address of the service, None for a headless one.",
    cell: (service) => service.spec?.clusterIPs?.[0] ?? service.spec?.clusterIP ?? "<none>",
  },
  { name: "External-IP", type: "string", description: "Addresses outside the cluster.", cell: externalIp },
  { name: "Port(s)", type: "string", description: "The ports the service exposes.", cell: ports },
  ageColumn(),
  {
    name: "Selector",
    type: "string",
    priority: 1,
    description: "Route service traffic to pods with label keys and values matching this selector.",
    cell: (service) => formatLabels(service.spec?.selector),
  },
];

// formatEndpoints: every address with every port of its subset; a subset without ports (a
// headless service's) lists bare addresses. No subsets at all reads <none>.
function endpointsText(endpoints: V1Endpoints): string {
  const subsets = endpoints.subsets ?? [];
  if (subsets.length === 0) return "<none>";
  const addresses = subsets.flatMap((subset) => {
    const ips = (subset.addresses ?? []).map((address) => address.ip);
    if ((subset.ports ?? []).length === 0) return ips;
    return (subset.ports ?? []).flatMap((port) => ips.map((ip) => `${ip}:${port.port}`));
  });
  return firstFew(addresses, "");
}

export const endpointsColumns: TableColumn<V1Endpoints>[] = [
  nameColumn(),
  { name: "Endpoints", type: "string", description: "The ready addresses and ports.", cell: endpointsText },
  ageColumn(),
];

export const endpointSliceColumns: TableColumn<V1EndpointSlice>[] = [
  nameColumn(),
  {
    name: "AddressType",
    type: "string",
    description: "The type of address carried by this EndpointSlice.",
    cell: (slice) => slice.addressType,
  },
  {
    name: "Ports",
    type: "string",
    description: "The network ports exposed by each endpoint.",
    cell: (slice) =>
      firstFew(
        (slice.ports ?? []).map((p) => String(p.port ?? p.name ?? "*")),
        "<unset>",
      ),
  },
  {
    name: "Endpoints",
    type: "string",
    description: "The addresses of the endpoints in this slice.",
    cell: (slice) =>
      firstFew(
        slice.endpoints.flatMap((endpoint) => endpoint.addresses),
        "<unset>",
      ),
  },
  ageColumn(),
];
