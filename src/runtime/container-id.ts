// A container ID ends up in a remote command line and in a cgroup path pattern, so only the
// shape runtimes actually produce gets through: 12 to 64 lowercase hex digits (docker,
// containerd and CRI-O all use 64; 12 is docker's short form). Nothing else, not even a dash,
// so an ID can never be read as an option or a glob.

import { printable } from "../capture/printable.js";
import { ContainerNotFound } from "../errors.js";

const CONTAINER_ID = /^[0-9a-f]{12,64}$/;

/** Returns `id` unchanged when it is a plausible runtime container ID; throws otherwise. */
export function assertContainerId(id: string): string {
  if (!CONTAINER_ID.test(id)) {
    throw new ContainerNotFound(
      `container ID ${printable(id)} is not 12 to 64 lowercase hex digits`,
      "podcap takes container IDs from the pod status (docker://, containerd://, cri-o://); wait until the container has started",
    );
  }
  return id;
}

/** The 12-digit form runtimes print in their listings, for messages. */
export function shortContainerId(id: string): string {
  return id.slice(0, 12);
}
