/**
 * Retention of tick records: schedule_ticks gains a row per tick (86,400 a day for a
 * `* * * * * *` schedule), so rows older than `keepRunsMs` are deleted, oldest first, in short
 * batches: each batch is its own statement, and one run deletes at most MAX_PER_RUN rows, so a
 * backlog (retention turned on over years of ticks) drains over a few runs without holding the
 * database's write lock for long. Stats and the daily report cover the ticks kept.
 */
import type { Clock } from '../core/clock.ts';
import type { Service } from '../core/service.ts';
import type { Store } from '../store/contract.ts';

/** Keep tick records 30 days unless told otherwise. */
export const DEFAULT_KEEP_RUNS_MS = 30 * 86_400_000;
/** Time between retention runs. */
export const RETENTION_EVERY_MS = 60_000;
export const PRUNE_BATCH = 500;
/** 20 batches: 10,000 rows a minute, far more than the fastest schedule (60 a minute) adds. */
const MAX_PER_RUN = 20 * PRUNE_BATCH;

export class TickRetention {
  private readonly store: Store;
  private readonly clock: Clock;
  readonly keepRunsMs: number;

  constructor(store: Store, clock: Clock, keepRunsMs = DEFAULT_KEEP_RUNS_MS) {
    this.store = store;
    this.clock = clock;
    this.keepRunsMs = keepRunsMs;
  }

  /** The service a ServiceHost runs: a run every minute, the first a minute after start. */
  service(): Service {
    return {
      name: 'schedule-retention',
      everyMs: RETENTION_EVERY_MS,
      run: async () => {
        await this.prune();
      },
    };
  }

  /** Delete the tick records fired more than `keepRunsMs` ago (up to MAX_PER_RUN); how many. */
  async prune(): Promise<number> {
    const before = this.clock.now() - this.keepRunsMs;
    let deleted = 0;
    while (deleted < MAX_PER_RUN) {
      const n = await this.store.scheduleTickPrune({ before, limit: PRUNE_BATCH });
      deleted += n;
      if (n < PRUNE_BATCH) break;
    }
    return deleted;
  }
}
