import { ManualClock } from '../../src/core/clock.ts';
import type { Timers } from '../../src/core/service.ts';

interface Pending {
  id: number;
  at: number;
  fn: () => void;
}

/** Let promise callbacks a timer set off run, and the timers they set be registered. */
async function settle(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Timers on a ManualClock: nothing fires until `advance`, which moves the clock from one due
 * timer to the next, firing each in order and letting what it started settle.
 */
export class ManualTimers implements Timers {
  readonly clock: ManualClock;
  private readonly pending: Pending[] = [];
  private nextId = 1;

  constructor(clock = new ManualClock()) {
    this.clock = clock;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, at: this.clock.now() + ms, fn };
    this.pending.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    const i = this.pending.findIndex((t) => t.id === handle);
    if (i >= 0) this.pending.splice(i, 1);
  }

  /** Timers waiting to fire. */
  get size(): number {
    return this.pending.length;
  }

  async advance(ms: number): Promise<void> {
    const until = this.clock.now() + ms;
    await settle();
    for (;;) {
      const due = this.pending
        .filter((t) => t.at <= until)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.pending.splice(this.pending.indexOf(due), 1);
      this.clock.set(Math.max(this.clock.now(), due.at));
      due.fn();
      await settle();
    }
    this.clock.set(until);
  }
}
