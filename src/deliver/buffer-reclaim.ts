// Streaming a capture allocates more Buffer bytes than it carries (socket reads, deciphered SSH
// packets), each dead as soon as it is written. V8 collects them only when its young generation
// fills or some 64 MiB of them have piled up, and the C library keeps the memory it handed out:
// a 1 GB capture held ~40 MiB more than at rest. A scavenge every few MiB streamed frees them
// while they are few; it costs ~2 ms, a few times a second at full speed.

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

type Collect = (options: { type: "minor" }) => void;
let collect: Collect | null | undefined;

/**
 * V8's gc(), taken from a fresh context the first time it is asked for; null where it cannot be.
 * The flag is set back at once: V8 rejects a code cache made under other flags, and bin/podcap.js
 * makes podcap's at exit.
 */
function scavenger(): Collect | null {
  if (collect === undefined) {
    try {
      setFlagsFromString("--expose-gc");
      collect = runInNewContext("gc") as Collect;
    } catch {
      collect = null;
    } finally {
      setFlagsFromString("--no-expose-gc");
    }
  }
  return collect;
}

/** Counts bytes as they stream; every `every` bytes, a scavenge. */
export function bufferReclaimer(every = 8 * 2 ** 20): (bytes: number) => void {
  let since = 0;
  return (bytes) => {
    since += bytes;
    if (since < every) return;
    since = 0;
    scavenger()?.({ type: "minor" });
  };
}
