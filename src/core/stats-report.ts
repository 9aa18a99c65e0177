/** The figures `stats()` reports: the library, the HTTP API and the CLI give them alike. */
import type { TaskStatus } from './status.ts';

/** Duration figures over the sampled attempts, in ms; zeros when there are none. */
export interface StatsDurations {
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  /** How many attempts the figures are over. */
  samples: number;
}

/** Attempts that ended in one clock hour (UTC); `failed` includes timed-out ones, `total` every
 * ending (cancelled, released, crashed too). */
export interface StatsHour {
  /** The hour's start. */
  hour: Date;
  completed: number;
  failed: number;
  total: number;
  /** Over every attempt that ended in the hour; 0 when none did. */
  meanDurationMs: number;
}

/** The figures `stats()` gives overall, per task type and per queue. */
export interface StatsGroup {
  byStatus: Record<TaskStatus, number>;
  total: number;
  /** completed / (completed + failed + timed_out), null before anything finished. */
  successRate: number | null;
  /** Over the most recent finished attempts (up to 10,000 overall; a group gets its share of
   * that sample, `samples` says how many). */
  durationMs: StatsDurations;
  /** Attempts that ended in the last minute. */
  lastMinute: { completed: number; failed: number; total: number; perSecond: number };
  /** The last 24 hours, oldest first, the current (partial) hour last; empty hours are zeros. */
  hourly: StatsHour[];
}

export interface TaskmillStats extends StatsGroup {
  /** Task counts by type and status, listing only the statuses that occur. */
  byType: Record<string, Partial<Record<TaskStatus, number>>>;
  /** Every task type that has tasks, by name. */
  perType: Record<string, StatsGroup>;
  /** Every queue that has tasks, by name. */
  perQueue: Record<string, StatsGroup>;
  /** Task types with tasks waiting to run that no online worker can run. */
  unservedTypes: string[];
}
