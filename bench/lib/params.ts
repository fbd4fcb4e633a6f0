// A benchmark's sizes are parameters, so the default run stays short and a larger one is a flag
// away: `--packets=200000` (or `--packets 200000`) on the command line, else BENCH_PACKETS in
// the environment, else the default. run.ts hands its flags to every benchmark it runs.

function rawParam(name: string, argv: readonly string[]): string | undefined {
  const flag = `--${name}`;
  for (const [at, arg] of argv.entries()) {
    if (arg === flag) return argv[at + 1];
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
  }
  return process.env[`BENCH_${name.toUpperCase().replaceAll("-", "_")}`];
}

export function numberParam(name: string, fallback: number, argv: readonly string[] = process.argv): number {
  const raw = rawParam(name, argv);
  if (raw === undefined) return fallback;
  const value = Number(raw.replaceAll("_", ""));
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number, not ${JSON.stringify(raw)}`);
  return value;
}

export function stringParam(name: string, fallback: string, argv: readonly string[] = process.argv): string {
  return rawParam(name, argv) ?? fallback;
}
