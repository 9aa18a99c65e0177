/**
 * Paces the re-reads of one view. Never two reads at once, and after each read a pause of at
 * least `minGapMs` and `gapFactor` times what the read took: counts over a million tasks cost the
 * server seconds, and a view left open on a busy system must ask for them less often instead of
 * piling reads up behind each other. Asks that arrive meanwhile become one read after the pause.
 */
export interface PacerTimers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface PacerOptions {
  minGapMs: number;
  gapFactor: number;
  timers?: PacerTimers;
}

const GLOBAL_TIMERS: PacerTimers = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class ReadPacer {
  private readonly read: () => Promise<unknown>;
  private readonly minGapMs: number;
  private readonly gapFactor: number;
  private readonly timers: PacerTimers;
  private reading = false;
  private wanted = false;
  private urgent = false;
  private timer: unknown = null;
  private lastEnd = Number.NEGATIVE_INFINITY;
  private lastDuration = 0;
  private disposed = false;

  constructor(read: () => Promise<unknown>, options: PacerOptions) {
    this.read = read;
    this.minGapMs = options.minGapMs;
    this.gapFactor = options.gapFactor;
    this.timers = options.timers ?? GLOBAL_TIMERS;
  }

  /** Ask for a read. `urgent` (the user acted, or the view just opened) skips the pause, but
   * still waits for a read under way: its answer may predate what the user did. */
  request(options: { urgent?: boolean } = {}): void {
    this.wanted = true;
    if (options.urgent) {
      this.urgent = true;
      if (this.timer !== null) {
        this.timers.clearTimeout(this.timer);
        this.timer = null;
      }
    }
    this.pump();
  }

  /** The pause the next read waits after the last one ended. */
  gapMs(): number {
    return Math.max(this.minGapMs, this.gapFactor * this.lastDuration);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private pump(): void {
    if (this.disposed || this.reading || this.timer !== null || !this.wanted) return;
    const wait = this.urgent ? 0 : this.lastEnd + this.gapMs() - this.timers.now();
    if (wait > 0) {
      this.timer = this.timers.setTimeout(() => {
        this.timer = null;
        this.pump();
      }, wait);
      return;
    }
    this.wanted = false;
    this.urgent = false;
    this.reading = true;
    const started = this.timers.now();
    const done = () => {
      this.reading = false;
      this.lastEnd = this.timers.now();
      this.lastDuration = this.lastEnd - started;
      this.pump();
    };
    this.read().then(done, done);
  }
}
