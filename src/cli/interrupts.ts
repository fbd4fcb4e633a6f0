// Ctrl-C (and SIGTERM) as the normal way to stop a capture: the first asks every stream to stop
// and flush, a second drops the connections at once; before anything runs, it exits 130.

import { ExitCode } from "../errors.js";

export interface Interrupts {
  /** From now on an interrupt stops the capture instead of exiting. */
  capturing(stop: () => void, abort: () => void): void;
  dispose(): void;
}

export function handleInterrupts(): Interrupts {
  let stop: (() => void) | undefined;
  let abort: (() => void) | undefined;
  let count = 0;
  const onSignal = () => {
    count += 1;
    if (count === 1 && stop) stop();
    else if (abort) abort();
    else process.exit(ExitCode.interrupted);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    capturing(stopCapture, abortCapture) {
      stop = stopCapture;
      abort = abortCapture;
    },
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
