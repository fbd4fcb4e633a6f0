// The table run.ts ends with and BENCHMARKS.md shows: one row a benchmark, read back from the
// results it wrote, so the table and the JSON files never disagree.

import { existsSync, readFileSync } from "node:fs";
import { type BenchResult, boundText, type Figure, RESULTS_DIR } from "./result.js";
import { formatNumber } from "./stats.js";

export function readResult(name: string): BenchResult | undefined {
  const path = `${RESULTS_DIR}${name}.json`;
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as BenchResult) : undefined;
}

const cell = (figure?: Figure): string =>
  figure ? `${figure.what} ${formatNumber(figure.value)} ${figure.unit}` : "–";

export interface TableRow {
  name: string;
  /** What happened when it ran, if it did not write a result: "crashed (exit 1)", "to be filled". */
  status?: string;
  result?: BenchResult;
}

/** A Markdown table, readable as plain text too. */
export function resultTable(rows: TableRow[]): string {
  const lines = [
    "| benchmark | podcap | baseline | ratio | target | result |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const { name, status, result } of rows) {
    if (!result) {
      lines.push(`| ${name} | – | – | – | – | ${status ?? "no result"} |`);
      continue;
    }
    const ratio = result.ratio === undefined ? "–" : formatNumber(result.ratio);
    const verdict = status ?? (result.pass ? "pass" : `FAIL: ${result.failures.join("; ")}`);
    lines.push(
      `| ${name} | ${cell(result.figure)} | ${cell(result.baseline)} | ${ratio} | ${boundText(result.target)} | ${verdict} |`,
    );
  }
  return lines.join("\n");
}
