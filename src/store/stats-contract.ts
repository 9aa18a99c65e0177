/** The records of the Store contract's `statsGet` (src/store/contract.ts). */
import type { TaskStatus } from '../core/status.ts';
import type { ExecutionOutcome } from '../core/task.ts';

/** What `statsGet` reads. Executions count when they finished at or before `now`, so a
 * snapshot is as of the caller's clock, whatever another process's clock wrote. */
export interface StatsParams {
  now: number;
  /** Start of the short window `finishedSince` covers. */
  since: number;
  /** How many of the newest finished executions `durations` samples. */
  sampleSize: number;
  /** Start of the window `hourly` covers; an hour start, for whole buckets. */
  hoursSince: number;
}

/** Raw material for stats, grouped finely enough that the caller can total it by type, by
 * queue or overall; the store does no arithmetic beyond counts and sums. */
export interface StatsSnapshot {
  /** Tasks by type, queue and status. */
  counts: { type: string; queue: string; status: TaskStatus; count: number }[];
  /** The most recent finished executions (at most `sampleSize`), newest first: duration in ms
   * (as the worker measured it, else end minus start) with the task's type and queue. */
  durations: { type: string; queue: string; durationMs: number }[];
  /** Executions that finished in [`since`, `now`], by type, queue and outcome. */
  finishedSince: { type: string; queue: string; outcome: ExecutionOutcome; count: number }[];
  /** Executions that finished in [`hoursSince`, `now`], by hour (ms of the UTC hour's start,
   * finished_at floored to the hour), type, queue and outcome: count and summed duration. */
  hourly: {
    hour: number;
    type: string;
    queue: string;
    outcome: ExecutionOutcome;
    count: number;
    durationSumMs: number;
  }[];
}
