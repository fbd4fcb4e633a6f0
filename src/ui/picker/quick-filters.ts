// The filters most captures want, one keypress away. Anything else is written as BPF, as tcpdump
// takes it. Pure.

import type { FilterAnswer } from "./picker-answers.js";

export interface QuickFilter {
  title: string;
  /** undefined: the picker asks for the rest (a port, or a whole expression). */
  answer?: FilterAnswer;
  asks?: "port" | "expression";
}

export const QUICK_FILTERS: readonly QuickFilter[] = [
  { title: "everything", answer: { kind: "bpf", expression: "" } },
  {
    title: "HTTP (tcp port 80 or 8080)",
    answer: { kind: "bpf", expression: "tcp port 80 or tcp port 8080" },
  },
  { title: "DNS (port 53)", answer: { kind: "bpf", expression: "port 53" } },
  { title: "one port…", asks: "port" },
  { title: "write a filter (BPF, as tcpdump takes it)…", asks: "expression" },
];

/** The quick choice an earlier answer came from, so going back shows it selected. */
export function quickFilterOf(answer: FilterAnswer | undefined): QuickFilter | undefined {
  if (answer === undefined) return undefined;
  if (answer.kind === "port") return QUICK_FILTERS.find((q) => q.asks === "port");
  return (
    QUICK_FILTERS.find((q) => q.answer?.kind === "bpf" && q.answer.expression === answer.expression) ??
    QUICK_FILTERS.find((q) => q.asks === "expression")
  );
}
