// `npm run bench [-- names... --flag=value]`: runs bench/<name>.bench.ts for each name given, or
// every one there is, one after the other (the machine has two cores: parallel runs would
// measure each other). Each runs in its own process, so one that crashes (a missing tool, no
// lab) does not take the others down; flags go to every benchmark. Ends with the table of
// results and a non-zero exit if any benchmark failed or missed its target.

import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readResult, resultTable, type TableRow } from "./lib/result-table.js";

const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));
const SUFFIX = ".bench.ts";

const args = process.argv.slice(2);
// Flags are `--name=value` here: with `--name value` a value could not be told from a name.
const flags = args.filter((arg) => arg.startsWith("--"));
const names = args.filter((arg) => !arg.startsWith("--"));
const all = readdirSync(BENCH_DIR)
  .filter((file) => file.endsWith(SUFFIX))
  .map((file) => file.slice(0, -SUFFIX.length))
  .sort();
const chosen = names.length > 0 ? names : all;

const rows: TableRow[] = [];
for (const name of chosen) {
  if (!all.includes(name)) {
    rows.push({ name, status: `no bench/${name}${SUFFIX}` });
    continue;
  }
  console.log(`\n== ${name}`);
  const startedAt = new Date().toISOString();
  const run = spawnSync(process.execPath, ["--import", "tsx", `${BENCH_DIR}${name}${SUFFIX}`, ...flags], {
    stdio: "inherit",
  });
  const result = readResult(name);
  const fresh = result && result.machine.date >= startedAt ? result : undefined;
  const crashed = run.status !== 0 && !fresh;
  rows.push({
    name,
    result: fresh,
    status: crashed
      ? `crashed (${run.signal ?? `exit ${run.status}`})`
      : fresh
        ? undefined
        : "wrote no result",
  });
}

console.log(`\n${resultTable(rows)}`);
if (rows.some((row) => !row.result?.pass)) process.exitCode = 1;
