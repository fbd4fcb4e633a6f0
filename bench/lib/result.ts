// One benchmark's result: its figure, the baseline measured in the same run, their ratio and
// whether the target holds, written to bench/results/<name>.json with the parameters and the
// machine. A lab benchmark needs two calls: recordResult(...), then printRatio(result).

import { renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Machine, machineFacts } from "./machine.js";
import { formatNumber } from "./stats.js";

export const RESULTS_DIR = fileURLToPath(new URL("../results/", import.meta.url));

export interface Figure {
  /** Whose figure: "podcap", "mergecap", "ssh + tcpdump". */
  what: string;
  value: number;
  unit: string;
  /** Every run the value is the median of. */
  samples?: number[];
}

export interface Target {
  /** Which way is better for the figure: time and memory "lower", throughput "higher". */
  better: "lower" | "higher";
  /** Bound on figure / baseline: at most this when lower is better, at least when higher. */
  ratio?: number;
  /** Bound on the figure itself, in its unit, for a benchmark with no baseline. */
  value?: number;
  /** The words for it: "at least as fast as mergecap". */
  text: string;
}

export interface ResultInput {
  /** File name and table row: bench/results/<name>.json. */
  name: string;
  figure: Figure;
  baseline?: Figure;
  target: Target;
  /** Sizes and settings the run used: what a reader needs to repeat it. */
  parameters: Record<string, string | number | boolean>;
  /** Figures beside the headline one: CPU, memory, other sizes. */
  figures?: Record<string, Figure>;
  /** Conditions that must hold for a pass whatever the speed: same packet count, same order. */
  checks?: Record<string, boolean>;
  /** Tools whose versions matter, with the argv that prints each one (default `--version`). */
  tools?: Record<string, string[] | undefined>;
}

export interface BenchResult extends Omit<ResultInput, "tools"> {
  ratio?: number;
  pass: boolean;
  /** Why it did not pass, one line each. */
  failures: string[];
  machine: Machine;
}

function failuresOf({ figure, baseline, target, checks = {} }: ResultInput, ratio?: number): string[] {
  const failures: string[] = [];
  const lower = target.better === "lower";
  const misses = (value: number, bound: number) => (lower ? value > bound : value < bound);
  if (target.ratio !== undefined) {
    if (ratio === undefined) failures.push("a ratio target but no baseline");
    else if (misses(ratio, target.ratio))
      failures.push(`ratio ${formatNumber(ratio)} misses ${boundText(target)}`);
  }
  if (target.value !== undefined && misses(figure.value, target.value))
    failures.push(`${formatNumber(figure.value)} ${figure.unit} misses ${target.text}`);
  if (baseline && baseline.unit !== figure.unit)
    failures.push(`units differ: ${figure.unit} vs ${baseline.unit}`);
  for (const [check, held] of Object.entries(checks)) if (!held) failures.push(`check failed: ${check}`);
  return failures;
}

/** `≤ 1.00`, `≥ 0.80 × baseline`: the target in a table cell. */
export function boundText({ better, ratio, value }: Target): string {
  const sign = better === "lower" ? "≤" : "≥";
  return ratio !== undefined
    ? `${sign} ${ratio.toFixed(2)}`
    : value !== undefined
      ? `${sign} ${value}`
      : "none";
}

/** The ratio to the baseline, and whether the target and every check hold. */
export function judge(input: ResultInput): Pick<BenchResult, "ratio" | "pass" | "failures"> {
  const ratio = input.baseline ? input.figure.value / input.baseline.value : undefined;
  const failures = failuresOf(input, ratio);
  return { ratio, pass: failures.length === 0, failures };
}

/** Writes bench/results/<name>.json (whole or not at all) and returns what it wrote. */
export function recordResult(input: ResultInput): BenchResult {
  const { tools, ...rest } = input;
  const result: BenchResult = { ...rest, ...judge(input), machine: machineFacts(tools) };
  const path = `${RESULTS_DIR}${input.name}.json`;
  writeFileSync(`${path}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
  return result;
}

const figureText = ({ what, value, unit }: Figure): string => `${what} ${formatNumber(value)} ${unit}`;

/** `merge: podcap 0.210 s, mergecap 0.305 s, ratio 0.689 (target ≤ 1.00): pass` */
export function ratioLine(result: BenchResult): string {
  const parts = [figureText(result.figure)];
  if (result.baseline) parts.push(figureText(result.baseline));
  if (result.ratio !== undefined) parts.push(`ratio ${formatNumber(result.ratio)}`);
  const verdict = result.pass ? "pass" : `FAIL (${result.failures.join("; ")})`;
  return `${result.name}: ${parts.join(", ")} (target ${boundText(result.target)}): ${verdict}`;
}

export function printRatio(result: BenchResult): void {
  console.log(ratioLine(result));
}
