// Timing and summary helpers. The machine is shared, so one run means little: every figure is
// the median of several, and the spread is kept beside it so a reader can tell noise from change.

import { performance } from "node:perf_hooks";

export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error("median of no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Wall seconds `run` takes, awaited. */
export async function wallSeconds(run: () => unknown): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

/** `times` samples of `measure`, taken one after the other (never in parallel on 2 cores). */
export async function repeat<T>(times: number, measure: (round: number) => Promise<T>): Promise<T[]> {
  const samples: T[] = [];
  for (let round = 0; round < times; round += 1) samples.push(await measure(round));
  return samples;
}

/** A figure in a line of text: three significant digits are as many as the noise allows. */
export const formatNumber = (value: number): string =>
  Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);

export const formatBytes = (bytes: number): string =>
  bytes >= 1024 ** 3
    ? `${formatNumber(bytes / 1024 ** 3)} GiB`
    : bytes >= 1024 ** 2
      ? `${formatNumber(bytes / 1024 ** 2)} MiB`
      : `${formatNumber(bytes / 1024)} KiB`;
