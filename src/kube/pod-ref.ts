// What a user may type to name one pod, checked before anything is sent anywhere.

import { printable } from "../capture/printable.js";
import { UsageError } from "../errors.js";

// Kubernetes' own rule for object names (RFC 1123 subdomain): at most 253 characters, dot-separated
// labels that each start and end with a letter or digit, so "a..b" and "a.-b" are not names.
const SUBDOMAIN_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const SUBDOMAIN = new RegExp(`^(?=.{1,253}$)${SUBDOMAIN_LABEL}(\\.${SUBDOMAIN_LABEL})*$`);
const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const POD_KINDS = new Set(["pod", "pods", "po"]);

/** `NAME`, `pod/NAME`, `pods/NAME` or `po/NAME` -> NAME. */
export function parsePodRef(ref: string): string {
  const slash = ref.indexOf("/");
  const kind = slash === -1 ? "pod" : ref.slice(0, slash).toLowerCase();
  const name = slash === -1 ? ref : ref.slice(slash + 1);
  if (!POD_KINDS.has(kind)) {
    throw new UsageError(
      `podcap capture takes one pod, not ${printable(kind)}/…`,
      "name a pod (pod/NAME); list a workload's pods with `kubectl get pods -l SELECTOR`",
    );
  }
  return assertPodName(name);
}

export function assertPodName(name: string): string {
  if (!SUBDOMAIN.test(name)) {
    throw new UsageError(
      `invalid pod name ${printable(name)}`,
      "pod names are lowercase letters, digits, '-' and '.', at most 253 characters; each part between dots starts and ends with a letter or digit",
    );
  }
  return name;
}

/** Node names follow the same rule as pod names. */
export function assertNodeName(name: string): string {
  if (!SUBDOMAIN.test(name)) {
    throw new UsageError(
      `invalid node name ${printable(name)}`,
      "use a name from `kubectl get nodes`: lowercase letters, digits, '-' and '.'",
    );
  }
  return name;
}

export function assertNamespace(namespace: string): string {
  if (!LABEL.test(namespace)) {
    throw new UsageError(
      `invalid namespace ${printable(namespace)}`,
      "namespaces are lowercase letters, digits and '-', at most 63 characters",
    );
  }
  return namespace;
}
