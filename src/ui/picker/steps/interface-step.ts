// Where in the pod to listen: its eth0 (what goes in and out), lo (what its containers say to
// each other: a mesh sidecar and its app) or both.

import { DEFAULT_INTERFACE } from "../../../capture/tcpdump-args.js";
import type { PickerKit, PickerStep } from "./picker-step.js";

export const INTERFACES = [
  { value: "eth0", name: "eth0: traffic in and out of the pod" },
  { value: "lo", name: "lo: traffic between the pod's own containers (sidecars)" },
  { value: "any", name: "any: both" },
] as const;

export function interfaceStep(kit: PickerKit): PickerStep {
  return {
    key: "iface",
    ask: (answers) =>
      kit.prompts.select({
        message: "Where in the pod",
        choices: INTERFACES,
        default: answers.iface ?? DEFAULT_INTERFACE,
      }),
  };
}
