/**
 * Reading RSS costs a system call, too much to do twice per task at tens of thousands of tasks a
 * second. One sampler per worker reads it on a timer; each running attempt keeps the highest
 * sample seen while it ran.
 */
export class MemorySampler {
  private latest = process.memoryUsage.rss();
  private timer: NodeJS.Timeout | null = null;
  private readonly trackers = new Set<{ peak: number }>();

  private readonly intervalMs: number;

  constructor(intervalMs = 100) {
    this.intervalMs = intervalMs;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  current(): number {
    return this.latest;
  }

  /** Start tracking a peak; call the returned function at the end to read it and stop. */
  track(): () => number {
    const tracker = { peak: this.latest };
    this.trackers.add(tracker);
    return () => {
      this.trackers.delete(tracker);
      return Math.max(tracker.peak, this.latest);
    };
  }

  private sample(): void {
    this.latest = process.memoryUsage.rss();
    for (const t of this.trackers) if (this.latest > t.peak) t.peak = this.latest;
  }
}
