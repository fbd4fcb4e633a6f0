// Sizes for --max-size: bytes ("1048576") or a number with a unit, following GNU coreutils so
// nobody has to guess: K, M, G, T (and KiB, MiB, ...) are powers of 1024, KB, MB, GB, TB
// powers of 1000. Case is ignored except that it never changes the base. A trailing "B"
// alone means bytes.

import { UsageError } from "../errors.js";
import { printable } from "./printable.js";

const SIZE = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)$/;
const POWER = { "": 0, k: 1, m: 2, g: 3, t: 4 } as const;

/** Parses a size into whole bytes (at least 1); `flag` names the option in errors. */
export function parseSize(text: string, flag = "--max-size"): number {
  const match = SIZE.exec(text.trim().toLowerCase());
  const [, amount, prefix, suffix] = match ?? [];
  // "ib" needs a prefix (KiB), and "i" alone is not a unit.
  const valid =
    amount !== undefined && prefix !== undefined && suffix !== "i" && !(prefix === "" && suffix === "ib");
  if (!valid) {
    throw new UsageError(
      `invalid size ${printable(text)} for ${flag}`,
      "use bytes or a unit: 512k, 10M, 10MB (1000-based), 1GiB (1024-based)",
    );
  }
  const base = suffix === "b" ? 1000 : 1024;
  const bytes = Math.floor(Number(amount) * base ** POWER[prefix as keyof typeof POWER]);
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new UsageError(
      `size ${printable(text)} for ${flag} is out of range`,
      "give at least 1 byte and less than 8 PiB",
    );
  }
  return bytes;
}
