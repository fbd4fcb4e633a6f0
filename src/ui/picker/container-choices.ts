// The containers of the chosen pod: the one podcap would pick by itself first and preselected,
// sidecars marked, containers that are not running shown but not choosable. Every container
// shares the pod's network, so the choice only decides whose process is entered. Pure.

import type { V1Pod } from "@kubernetes/client-node";
import { chooseContainerName, KNOWN_SIDECARS } from "../../capture/default-container.js";
import { printableText } from "../../capture/printable.js";
import type { ListChoice } from "./pod-choices.js";
import { isCapturable } from "./pod-rows.js";

export interface ContainerChoices {
  choices: ListChoice<string>[];
  /** The preselected container: podcap's own default when it runs, else the first that does. */
  preselected?: string;
}

export function containerChoices(pod: V1Pod): ContainerChoices {
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  if (names.length === 0) return { choices: [] };
  const fallback = chooseContainerName(pod);
  const capturable = (name: string) => {
    const status = pod.status?.containerStatuses?.find((s) => s.name === name);
    return status !== undefined && isCapturable(status);
  };
  const choices = names.map((name) => {
    const marks = [
      name === fallback ? "default" : undefined,
      KNOWN_SIDECARS.has(name) ? "sidecar" : undefined,
    ].filter(Boolean);
    return {
      value: name,
      name: `${printableText(name, 80)}${marks.length > 0 ? `  (${marks.join(", ")})` : ""}`,
      short: printableText(name, 80),
      disabled: capturable(name) ? undefined : "not running",
    };
  });
  return { choices, preselected: capturable(fallback) ? fallback : names.find(capturable) };
}

/** The container to take without asking: the only one the pod has, when it runs. */
export function onlyContainer(pod: V1Pod): string | undefined {
  const { choices, preselected } = containerChoices(pod);
  return choices.length === 1 ? preselected : undefined;
}
