// Columns for nodes, namespaces and core/v1 events, after kube-apiserver's printers.

import type { CoreV1Event, V1Namespace, V1Node } from "@kubernetes/client-node";
import { ageOf } from "./human-duration.js";
import { ageColumn, nameColumn, type TableColumn } from "./table.js";

const none = "<none>";

export function nodeStatus(node: V1Node): string {
  const ready = node.status?.conditions?.find((condition) => condition.type === "Ready");
  const states = [ready === undefined ? "Unknown" : ready.status === "True" ? "Ready" : "NotReady"];
  if (node.spec?.unschedulable) states.push("SchedulingDisabled");
  return states.join(",");
}

/** ROLES: from node-role.kubernetes.io/<role> labels and the older kubernetes.io/role label. */
export function nodeRoles(node: V1Node): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith("node-role.kubernetes.io/")) roles.add(key.slice("node-role.kubernetes.io/".length));
    else if (key === "kubernetes.io/role" && value !== "") roles.add(value);
  }
  const named = [...roles].filter((role) => role !== "").sort();
  return named.length === 0 ? none : named.join(",");
}

const nodeAddress = (node: V1Node, type: string) =>
  node.status?.addresses?.find((address) => address.type === type)?.address ?? none;

export const nodeColumns: TableColumn<V1Node>[] = [
  nameColumn(),
  { name: "Status", type: "string", description: "The status of the node", cell: nodeStatus },
  { name: "Roles", type: "string", description: "The roles of the node", cell: nodeRoles },
  ageColumn(),
  {
    name: "Version",
    type: "string",
    description: "Kubelet Version reported by the node.",
    cell: (node) => node.status?.nodeInfo?.kubeletVersion ?? "",
  },
  {
    name: "Internal-IP",
    type: "string",
    priority: 1,
    description: "List of internal IPs.",
    cell: (node) => nodeAddress(node, "InternalIP"),
  },
  {
    name: "External-IP",
    type: "string",
    priority: 1,
    description: "List of external IPs.",
    cell: (node) => nodeAddress(node, "ExternalIP"),
  },
  {
    name: "OS-Image",
    type: "string",
    priority: 1,
    description: "OS Image reported by the node.",
    cell: (node) => node.status?.nodeInfo?.osImage || "<unknown>",
  },
  {
    name: "Kernel-Version",
    type: "string",
    priority: 1,
    description: "Kernel Version reported by the node.",
    cell: (node) => node.status?.nodeInfo?.kernelVersion || "<unknown>",
  },
  {
    name: "Container-Runtime",
    type: "string",
    priority: 1,
    description: "Container Runtime Version reported by the node.",
    cell: (node) => node.status?.nodeInfo?.containerRuntimeVersion || "<unknown>",
  },
];

export const namespaceColumns: TableColumn<V1Namespace>[] = [
  nameColumn(),
  {
    name: "Status",
    type: "string",
    description: "The status of the namespace",
    cell: (ns) => ns.status?.phase ?? "",
  },
  ageColumn(),
];

// An event's time is its series' last sighting, else lastTimestamp, else eventTime (events.k8s.io
// writers only set that one).
const lastSeen = (event: CoreV1Event) =>
  event.series?.lastObservedTime ?? event.lastTimestamp ?? event.eventTime;
const firstSeen = (event: CoreV1Event) => event.firstTimestamp ?? event.eventTime;

function lastSeenCell(event: CoreV1Event, now: Date): string {
  const count = event.series?.count ?? event.count ?? 1;
  const seen = ageOf(lastSeen(event), now);
  return count > 1 ? `${seen} (x${count} over ${ageOf(firstSeen(event), now)})` : seen;
}

const involved = (event: CoreV1Event) =>
  `${event.involvedObject.kind?.toLowerCase() ?? ""}/${event.involvedObject.name ?? ""}`;

export const eventColumns: TableColumn<CoreV1Event>[] = [
  { name: "Last Seen", type: "string", description: "Time when last event was seen", cell: lastSeenCell },
  {
    name: "Type",
    type: "string",
    description: "Type of this event (Normal, Warning)",
    cell: (event) => event.type ?? "",
  },
  {
    name: "Reason",
    type: "string",
    description: "Reason why this event was generated",
    cell: (event) => event.reason ?? "",
  },
  { name: "Object", type: "string", description: "The object that this event is about", cell: involved },
  {
    name: "Subobject",
    type: "string",
    priority: 1,
    description: "The subobject that this event is about",
    cell: (event) => event.involvedObject.fieldPath ?? "",
  },
  {
    name: "Source",
    type: "string",
    priority: 1,
    description: "The component reporting this event",
    cell: (event) => event.source?.component ?? event.reportingComponent ?? "",
  },
  {
    name: "Message",
    type: "string",
    description: "A human-readable description of the status of this operation",
    cell: (event) => event.message?.trim() ?? "",
  },
  {
    name: "First Seen",
    type: "string",
    priority: 1,
    description: "Time when first event was seen",
    cell: (event, now) => ageOf(firstSeen(event), now),
  },
  {
    name: "Count",
    type: "string",
    priority: 1,
    description: "Number of times this event has occurred",
    cell: (event) => String(event.series?.count ?? event.count ?? 1),
  },
  {
    name: "Name",
    type: "string",
    priority: 1,
    description: "Name of the event",
    cell: (event) => event.metadata.name ?? "",
  },
];
