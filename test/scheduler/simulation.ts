/**
 * Simulated time for scheduler tests: mills whose clocks follow one simulated "true" time with a
 * skew each (and jumps), passes run by hand, and a worker played through the Store contract so
 * that a task takes exactly as long as the test says. No sleeps, no real timers.
 */
import { z } from 'zod';
import type { Clock } from '../../src/core/clock.ts';
import { defineTask, type Taskmill } from '../../src/index.ts';
import type { Store } from '../../src/store/contract.ts';
import { openStore } from '../../src/store/open.ts';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
/** A whole minute, so that minutely ticks fall on it. */
export const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);

export const tick = defineTask({
  name: 'tick',
  input: z.unknown(),
  run: () => null,
});
export const TASKS = [tick] as const;
/** The scheduler runs only when the test calls `pass()`. */
export const BY_HAND = { enabled: false, pollMs: 2_147_483_647 } as const;

/** The simulated true time, and clocks that read it with an offset each. */
export class SimulatedTime {
  now: number;
  constructor(start = T0) {
    this.now = start;
  }
  /** A clock `skewMs` off the true time; change its offset with `skew.ms`. */
  clock(skewMs = 0): Clock & { skew: { ms: number } } {
    const skew = { ms: skewMs };
    return { skew, now: () => this.now + skew.ms };
  }
}

export type SimMill = Taskmill<typeof TASKS>;

/** Every task in the database, oldest run-at first. */
export async function allTasks(mill: SimMill) {
  const tasks = [];
  let cursor: string | null = null;
  do {
    const page = await mill.list({ limit: 1000, sort: 'runAt', order: 'asc', cursor });
    tasks.push(...page.tasks);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return tasks;
}

/**
 * A worker with unlimited slots played through the store: `step(now)` finishes the attempts that
 * have run `runMs`, then starts every task that is ready. It records the most attempts running
 * at once, and each task's start and end.
 */
export class PlayedWorker {
  readonly store: Store;
  private readonly runMs: number;
  private readonly running = new Map<string, { token: string; startedAt: number }>();
  readonly spans = new Map<string, { startedAt: number; endedAt: number | null }>();
  mostAtOnce = 0;

  private constructor(store: Store, runMs: number) {
    this.store = store;
    this.runMs = runMs;
  }

  static async open(url: string, runMs: number): Promise<PlayedWorker> {
    return new PlayedWorker(await openStore(url), runMs);
  }

  async step(now: number): Promise<void> {
    const done = [...this.running].filter(([, r]) => now - r.startedAt >= this.runMs);
    if (done.length > 0) {
      await this.store.taskSettle({
        now,
        workerId: 'played',
        items: done.map(([id, r]) => ({
          id,
          token: r.token,
          to: 'completed',
          outcome: 'completed',
          reason: null,
        })),
      });
      for (const [id] of done) {
        this.running.delete(id);
        const span = this.spans.get(id);
        if (span) span.endedAt = now;
      }
    }
    const claimed = await this.store.taskClaim({
      now,
      workerId: 'played',
      limit: 100,
      types: [tick.name],
      queues: null,
      leaseMs: 24 * 60 * MINUTE,
    });
    for (const c of claimed) {
      this.running.set(c.task.id, { token: c.leaseToken, startedAt: now });
      this.spans.set(c.task.id, { startedAt: now, endedAt: null });
    }
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running.size);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
