// The one stop of a whole run: `stop.after`, the first failure (`stop.on-failure`) or Ctrl-C.
// Running steps hear it (captures stop and flush, waits end), steps not started are skipped.

export type RunStopReason = "after" | "failure" | "interrupted";

export class RunStop {
  reason?: RunStopReason;
  private readonly stops = new Set<(reason: RunStopReason) => void>();
  private readonly aborts = new Set<() => void>();

  stop(reason: RunStopReason): void {
    if (this.reason) return;
    this.reason = reason;
    for (const listener of this.stops) listener(reason);
  }

  /** A second Ctrl-C: drop every connection at once. */
  abort(): void {
    for (const abort of this.aborts) abort();
  }

  /** Calls `stop` when the run stops (at once if it has); returns the unsubscribe. */
  onStop(stop: (reason: RunStopReason) => void, abort?: () => void): () => void {
    if (this.reason) stop(this.reason);
    this.stops.add(stop);
    if (abort) this.aborts.add(abort);
    return () => {
      this.stops.delete(stop);
      if (abort) this.aborts.delete(abort);
    };
  }

  /** Waits `seconds`, or less if the run stops; true when it waited it all. */
  sleep(seconds: number): Promise<boolean> {
    if (this.reason) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(true);
      }, seconds * 1000);
      const off = this.onStop(() => {
        clearTimeout(timer);
        off();
        resolve(false);
      });
    });
  }

  describe(): string {
    return this.reason === "after"
      ? "the run reached stop.after"
      : this.reason === "failure"
        ? "a step failed (stop.on-failure)"
        : "interrupted";
  }
}
