// Which namespace, searchable, the context's own (or -n) preselected. A user who may not list
// namespaces (common RBAC) can still type one.

import { AccessDenied } from "../../../errors.js";
import { assertNamespace } from "../../../kube/pod-ref.js";
import type { Entry } from "../prompt-kit.js";
import { earlier, type PickerKit, type PickerStep } from "./picker-step.js";

export function namespaceStep(kit: PickerKit): PickerStep {
  return {
    key: "namespace",
    ask: (answers) => {
      const { context } = earlier(answers, "context");
      const own = kit.cluster.kube(context).namespace;
      const listing = kit.cluster.namespaces(context).catch((error) => {
        if (error instanceof AccessDenied) return [own];
        throw error;
      });
      return kit.prompts.search({
        message: "Namespace (type to search)",
        source: async (term) => namespaceEntries(await listing, term),
        default: answers.namespace ?? kit.preselect.namespace ?? own,
      });
    },
  };
}

export function namespaceEntries(names: readonly string[], term: string | undefined): Entry<string>[] {
  const wanted = (term ?? "").trim().toLowerCase();
  const entries: Entry<string>[] = names
    .filter((name) => name.includes(wanted))
    .map((name) => ({ value: name, name }));
  if (wanted !== "" && !names.includes(wanted) && isNamespaceName(wanted))
    entries.push({ value: wanted, name: `${wanted} (not listed: use it anyway)` });
  return entries;
}

function isNamespaceName(text: string): boolean {
  try {
    assertNamespace(text);
    return true;
  } catch {
    return false;
  }
}
