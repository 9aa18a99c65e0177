/**
 * The stats statements' rows, which both adapters read the same way: their columns are plain
 * numbers and text in both drivers (Postgres casts durations to double precision, so sums come
 * back as numbers rather than numeric strings).
 */

import type { ExecutionOutcome } from '../core/task.ts';
import type { StatsSnapshot } from './contract.ts';

export interface DurationRow {
  type: string;
  queue: string;
  duration: number;
}

export interface FinishedRow {
  type: string;
  queue: string;
  outcome: ExecutionOutcome | null;
  count: number;
}

export interface HourRow extends FinishedRow {
  hour: number;
  duration_sum: number | null;
}

export type CountRow = StatsSnapshot['counts'][number];

/** The snapshot from the four statements' rows, copied into plain objects. */
export function toStatsSnapshot(
  counts: readonly CountRow[],
  durations: readonly DurationRow[],
  finished: readonly FinishedRow[],
  hourly: readonly HourRow[],
): StatsSnapshot {
  return {
    counts: counts.map((c) => ({ type: c.type, queue: c.queue, status: c.status, count: c.count })),
    durations: durations.map((r) => ({ type: r.type, queue: r.queue, durationMs: r.duration })),
    finishedSince: withOutcome(finished).map((r) => ({
      type: r.type,
      queue: r.queue,
      outcome: r.outcome,
      count: r.count,
    })),
    hourly: withOutcome(hourly).map((r) => ({
      hour: r.hour,
      type: r.type,
      queue: r.queue,
      outcome: r.outcome,
      count: r.count,
      durationSumMs: r.duration_sum ?? 0,
    })),
  };
}

/** Rows with an outcome; a finished execution always has one, the column merely allows null. */
function withOutcome<R extends FinishedRow>(
  rows: readonly R[],
): (R & { outcome: ExecutionOutcome })[] {
  return rows.filter((r): r is R & { outcome: ExecutionOutcome } => r.outcome !== null);
}
