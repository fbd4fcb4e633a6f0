// Durations for -d (capture time): plain seconds ("90") or units in descending order, each at
// most once ("30s", "5m", "1h30m", "2d"). Whole numbers only: a capture length needs no
// fractions, and refusing "1.5h" is clearer than guessing what "1.5h30m" means.

import { UsageError } from "../errors.js";
import { printable } from "./printable.js";

const UNIT_SECONDS = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;
const WITH_UNITS = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const PLAIN_SECONDS = /^\d+$/;
/** Longer is a typo (or a capture nobody will read); 30 days. */
export const MAX_DURATION_SECONDS = 30 * UNIT_SECONDS.d;

/** Parses a duration into whole seconds; `flag` names the option in errors. */
export function parseDuration(text: string, flag = "-d"): number {
  const value = text.trim().toLowerCase();
  const seconds = PLAIN_SECONDS.test(value) ? Number(value) : secondsFromUnits(value);
  if (seconds === undefined) {
    throw new UsageError(
      `invalid duration ${printable(text)} for ${flag}`,
      "use seconds or units in the order d, h, m, s: 90, 30s, 5m, 1h30m",
    );
  }
  if (seconds < 1 || seconds > MAX_DURATION_SECONDS) {
    throw new UsageError(
      `duration ${printable(text)} for ${flag} is out of range`,
      `give at least 1s and at most ${MAX_DURATION_SECONDS / UNIT_SECONDS.d}d`,
    );
  }
  return seconds;
}

function secondsFromUnits(value: string): number | undefined {
  const match = value === "" ? null : WITH_UNITS.exec(value);
  if (match === null) return undefined;
  const [, d, h, m, s] = match;
  return [
    [d, UNIT_SECONDS.d],
    [h, UNIT_SECONDS.h],
    [m, UNIT_SECONDS.m],
    [s, UNIT_SECONDS.s],
  ].reduce((total, [amount, unit]) => total + Number(amount ?? 0) * Number(unit), 0);
}
