// Where on a packet's path tcpdump listens (seeds/004: one packet looks different at the pod's
// eth0, the host side of its veth, the bridge and the node's NIC, once kube-proxy has NATed it):
//   pod  - inside the pod's network namespace, on -i (eth0 by default);
//   veth - in the node's namespace, on the host end of the pod interface's veth pair, found on
//          the node through that interface's peer index (`eth0@if7`);
//   node - in the node's namespace, on -i or `node:IFACE` (a bridge, a NIC), by default the
//          interface of the node's default route;
//   any  - `tcpdump -i any` in the node's namespace.
// The node resolves veth and the default route itself (remote-wrapper.ts), once the PID is known.

import { UsageError } from "../errors.js";
import { printable } from "./printable.js";
import { assertInterfaceName, DEFAULT_INTERFACE } from "./tcpdump-args.js";

export const VANTAGES = ["pod", "veth", "node", "any"] as const;
export type Vantage = (typeof VANTAGES)[number];

export interface VantagePoint {
  vantage: Vantage;
  /**
   * pod: the interface in the pod; veth: the pod interface whose peer is wanted; node: the node's
   * interface, undefined for the default route's; any: "any".
   */
  iface?: string;
}

export const POD_VANTAGE: VantagePoint = { vantage: "pod", iface: DEFAULT_INTERFACE };

const isVantage = (word: string): word is Vantage => (VANTAGES as readonly string[]).includes(word);

/**
 * `--where pod,veth,node:cni0` and `-i` -> the vantage points, in the order given. `-i` names the
 * pod's interface (for pod and veth), or the node's when node is the only vantage point.
 */
export function parseWhere(where: string | undefined, iface: string | undefined): VantagePoint[] {
  const words = (where ?? "pod").split(",").map((word) => word.trim());
  const nodeOnly = words.length === 1 && words[0]?.split(":")[0] === "node";
  const podIface = assertInterfaceName(iface ?? DEFAULT_INTERFACE);
  const points = words.map((word): VantagePoint => {
    const [name = "", named, ...rest] = word.split(":");
    if (!isVantage(name) || rest.length > 0)
      throw new UsageError(
        `--where takes pod, veth, node or any, got ${printable(word, 40)}`,
        "for example --where pod,veth or --where node:cni0",
      );
    if (named !== undefined && name !== "node" && name !== "pod")
      throw new UsageError(
        `--where ${name} takes no interface, got ${printable(word, 40)}`,
        "only pod:IFACE and node:IFACE name one; veth follows the pod's -i",
      );
    if (name === "any") return { vantage: "any", iface: "any" };
    if (name === "node") {
      const chosen = named ?? (nodeOnly ? iface : undefined);
      return { vantage: "node", iface: chosen === undefined ? undefined : assertInterfaceName(chosen) };
    }
    return { vantage: name, iface: named === undefined ? podIface : assertInterfaceName(named) };
  });
  const labels = points.map(vantageLabel);
  const repeated = labels.find((label, i) => labels.indexOf(label) !== i);
  if (repeated !== undefined)
    throw new UsageError(`--where names ${repeated} twice`, "name each vantage point once");
  return points;
}

/** How a vantage point is named: in a merged file's interface names, progress and summaries. */
export function vantageLabel(point: VantagePoint): string {
  if (point.vantage === "any") return "any";
  if (point.vantage === "veth") return `veth(${point.iface ?? DEFAULT_INTERFACE})`;
  if (point.vantage === "node") return point.iface === undefined ? "node" : `node:${point.iface}`;
  return point.iface ?? DEFAULT_INTERFACE;
}

/** The wrapper's two arguments: where, and the interface (`-` for the node's default route). */
export const wrapperVantageArgs = (point: VantagePoint): [Vantage, string] => [
  point.vantage,
  point.iface ?? "-",
];
