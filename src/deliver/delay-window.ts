// The live merge's maxDelayMs rule: no packet waits longer than that for a quiet source. Packets
// are taken in batches (one per chunk a source writes), and arrival times only grow, so a queue
// of (when, latest capture time of the batch) is enough: once a batch has waited maxDelayMs,
// everything up to its latest capture time must go out. A timer wakes the merge when the oldest
// batch expires, for when no source writes anything that would.

/** Before any capture time. */
const NOTHING = -1n;
/** setTimeout's largest delay. */
const LONGEST_TIMER = 2 ** 31 - 1;

interface Arrival {
  at: number;
  upTo: bigint;
}

export class DelayWindow {
  /** Oldest first; `head` skips the ones already expired. */
  private arrivals: Arrival[] = [];
  private head = 0;
  private expired = NOTHING;
  private timer?: NodeJS.Timeout;
  private timerFor = Number.NaN;

  constructor(
    private readonly maxDelayMs: number,
    private readonly now: () => number,
    private readonly onExpiry: () => void,
  ) {}

  /** Packets up to capture time `upTo` were taken in just now. */
  taken(upTo: bigint): void {
    this.arrivals.push({ at: this.now(), upTo });
  }

  /** Every packet held is written: no batch is waiting any more. */
  emptied(): void {
    this.arrivals = [];
    this.head = 0;
  }

  /** The latest capture time among the packets that have waited maxDelayMs; -1n if none has. */
  expiredUpTo(): bigint {
    const now = this.now();
    for (let oldest = this.arrivals[this.head]; oldest; oldest = this.arrivals[this.head]) {
      if (now - oldest.at < this.maxDelayMs) break;
      if (oldest.upTo > this.expired) this.expired = oldest.upTo;
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.arrivals.length) {
      this.arrivals = this.arrivals.slice(this.head);
      this.head = 0;
    }
    return this.expired;
  }

  /** Calls onExpiry once the oldest batch still waiting has waited maxDelayMs. */
  arm(): void {
    const oldest = this.arrivals[this.head];
    if (this.timer && oldest?.at === this.timerFor) return;
    this.stop();
    if (!oldest || !Number.isFinite(this.maxDelayMs)) return;
    const wait = Math.min(LONGEST_TIMER, Math.max(0, oldest.at + this.maxDelayMs - this.now()));
    this.timerFor = oldest.at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onExpiry();
    }, wait);
    // The sources' streams keep the process alive while they run; this timer alone should not.
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
