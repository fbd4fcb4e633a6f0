// The pod list of the picker: one aligned line per pod under a kubectl-like header, narrowed by
// what the person types, pods that cannot be captured shown with the reason and not choosable.
// Pure.

import { printableText } from "../../capture/printable.js";
import type { PodRow } from "./pod-rows.js";

export interface ListChoice<Value> {
  value: Value;
  name: string;
  short?: string;
  description?: string;
  disabled?: string | boolean;
}

const COLUMNS = ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"] as const;

function cells(row: PodRow): string[] {
  return [row.name, row.ready, row.status, String(row.restarts), row.age, row.ip, row.node].map((cell) =>
    printableText(cell, 80),
  );
}

/** Column widths over every row (not only the matching ones), so the table does not jump while typing. */
function widths(rows: readonly PodRow[]): number[] {
  return COLUMNS.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (cells(row)[column] as string).length)),
  );
}

const line = (values: readonly string[], width: readonly number[]) =>
  values
    .map((value, column) => value.padEnd(width[column] ?? 0))
    .join("  ")
    .trimEnd();

/** A term matches the name, the node, the status or the IP, case-insensitively. */
export function matchesTerm(row: PodRow, term: string | undefined): boolean {
  const wanted = (term ?? "").trim().toLowerCase();
  if (wanted === "") return true;
  return [row.name, row.node, row.status, row.ip].some((field) => field.toLowerCase().includes(wanted));
}

export interface PodTable {
  header: string;
  choices: ListChoice<string>[];
}

export function podTable(rows: readonly PodRow[], term: string | undefined): PodTable {
  const width = widths(rows);
  return {
    // The list draws a separator one column in and an entry after a two-column cursor.
    header: ` ${line(COLUMNS, width)}`,
    choices: rows
      .filter((row) => matchesTerm(row, term))
      .map((row) => ({
        value: row.name,
        name: line(cells(row), width),
        short: printableText(row.name, 80),
        disabled: row.unavailable === undefined ? undefined : `(${row.unavailable})`,
      })),
  };
}
