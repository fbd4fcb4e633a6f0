// Kubernetes Events on a captured pod, so `kubectl describe pod` and `kubectl get events` show
// who captured it, when and how much: PacketCaptureStarted and PacketCaptureStopped. An Event is
// a courtesy to the cluster's users, never a condition of the capture: creating one returns its
// error for a debug line instead of throwing.

import { randomInt } from "node:crypto";
import { hostname } from "node:os";
import type { CoreV1Event } from "@kubernetes/client-node";
import { printable } from "../capture/printable.js";
import type { Inventory } from "../inventory/inventory-load.js";
import { type Kube, kubeError } from "./kube-client.js";

export const REPORTING_COMPONENT = "podcap";
// An Event's name is an object name (253 characters); the suffix is "." and 16 hex digits.
const MAX_NAME = 253;
const SUFFIX_LENGTH = 17;
// Events are for humans in `kubectl describe`; a filter longer than this is cut in the message.
const MAX_FILTER_IN_MESSAGE = 200;

export interface EventPod {
  namespace: string;
  name: string;
  /** The Pod's metadata.uid, which ties the Event to this incarnation of the name. */
  uid?: string;
  /** The captured container, named in involvedObject.fieldPath as the kubelet does. */
  container?: string;
}

export interface CaptureStartFacts {
  captureId: string;
  /** The kube user of the context. */
  user: string;
  iface: string;
  filter: string;
  node: string;
}

export interface CaptureStopFacts {
  captureId: string;
  node: string;
  packets: number;
  bytes: number;
  durationSeconds: number;
  /** Why it stopped: duration, count, interrupted, connection-lost, ... */
  reason: string;
}

/** On unless the inventory says `settings.events: false`. */
export const captureEventsEnabled = (inventory: Pick<Inventory, "settings">): boolean =>
  inventory.settings.events !== false;

/** `<pod>.<hex>` like the kubelet's event names: nanoseconds since the epoch, made unique. */
export function eventName(podName: string, now: Date): string {
  const nanos = BigInt(now.getTime()) * 1_000_000n + BigInt(randomInt(1_000_000));
  return `${podName.slice(0, MAX_NAME - SUFFIX_LENGTH)}.${nanos.toString(16).padStart(16, "0")}`;
}

function shownFilter(filter: string): string {
  // JSON quoting keeps quotes, newlines and control characters visible and on one line.
  return filter === "" ? "none" : printable(filter, MAX_FILTER_IN_MESSAGE);
}

interface EventFields {
  pod: EventPod;
  reason: "PacketCaptureStarted" | "PacketCaptureStopped";
  message: string;
  node: string;
  now: Date;
  /** Which podcap sent it: user@host of this machine. */
  reportingInstance: string;
}

function captureEvent(fields: EventFields): CoreV1Event {
  const { pod, now } = fields;
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: eventName(pod.name, now), namespace: pod.namespace },
    involvedObject: {
      apiVersion: "v1",
      kind: "Pod",
      namespace: pod.namespace,
      name: pod.name,
      ...(pod.uid ? { uid: pod.uid } : {}),
      ...(pod.container ? { fieldPath: `spec.containers{${pod.container}}` } : {}),
    },
    reason: fields.reason,
    message: fields.message,
    type: "Normal",
    action: "Capture",
    source: { component: REPORTING_COMPONENT, host: fields.node },
    reportingComponent: REPORTING_COMPONENT,
    reportingInstance: fields.reportingInstance,
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  };
}

export function captureStartedEvent(
  pod: EventPod,
  facts: CaptureStartFacts,
  now = new Date(),
  reportingInstance = defaultReportingInstance(),
): CoreV1Event {
  const message =
    `user "${facts.user}" started packet capture ${facts.captureId} on node ${facts.node}: ` +
    `interface ${facts.iface}, filter ${shownFilter(facts.filter)}`;
  return captureEvent({
    pod,
    reason: "PacketCaptureStarted",
    message,
    node: facts.node,
    now,
    reportingInstance,
  });
}

export function captureStoppedEvent(
  pod: EventPod,
  facts: CaptureStopFacts,
  now = new Date(),
  reportingInstance = defaultReportingInstance(),
): CoreV1Event {
  const message =
    `packet capture ${facts.captureId} stopped (${facts.reason}): ${facts.packets} packets, ` +
    `${facts.bytes} bytes in ${facts.durationSeconds.toFixed(1)}s`;
  return captureEvent({
    pod,
    reason: "PacketCaptureStopped",
    message,
    node: facts.node,
    now,
    reportingInstance,
  });
}

function defaultReportingInstance(): string {
  return `${REPORTING_COMPONENT}@${hostname()}`;
}

/** Creates the Event; resolves to the failure (a typed error with a hint) or undefined. */
export async function createCaptureEvent(kube: Kube, event: CoreV1Event): Promise<Error | undefined> {
  const namespace = event.metadata.namespace ?? event.involvedObject.namespace ?? kube.namespace;
  try {
    await kube.core.createNamespacedEvent({ namespace, body: event });
    return undefined;
  } catch (error) {
    const failure = kubeError(error, kube);
    failure.message = `cannot create Event ${event.reason} on pod ${namespace}/${event.involvedObject.name}: ${failure.message}`;
    return failure;
  }
}

export const recordCaptureStarted = (kube: Kube, pod: EventPod, facts: CaptureStartFacts) =>
  createCaptureEvent(kube, captureStartedEvent(pod, facts));

export const recordCaptureStopped = (kube: Kube, pod: EventPod, facts: CaptureStopFacts) =>
  createCaptureEvent(kube, captureStoppedEvent(pod, facts));
