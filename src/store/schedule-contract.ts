/**
 * The schedule part of the Store contract: the records and parameters of the `schedule*`
 * methods (src/store/contract.ts). What a tick does is decided in core (schedule-overlap.ts) and
 * in the scheduler's plan; a store reads and writes, in one transaction per call.
 */
import type { NewTask } from '../core/new-task.ts';
import type {
  ScheduleDayReport,
  ScheduleLink,
  ScheduleRun,
  ScheduleStats,
  SkipReason,
} from '../core/schedule.ts';
import type { ScheduleSpec } from '../core/schedule-definition.ts';

/** A schedule as stored, with the scheduler's state. Times in ms since the epoch. */
export interface StoredSchedule extends ScheduleSpec {
  createdAt: number;
  updatedAt: number;
  /** The newest fire time handled (fired or skipped). It only moves forward. */
  cursorAt: number;
  /** The first fire time after `cursorAt`, or null when the expression has no more. */
  nextAt: number | null;
}

/** One tick a scheduler pass wants handled, in fire-time order. */
export interface PlannedTick {
  fireAt: number;
  /** Missed while no scheduler ran, and fired later by the catch-up policy. */
  backfill: boolean;
  /** Recorded as skipped (no task), whatever the overlap policy: missed (`catch_up`), or its
   * task cannot be built (`invalid`). */
  skip: 'catch_up' | 'invalid' | null;
}

export interface ScheduleFireParams {
  now: number;
  name: string;
  /**
   * Expression ticks: the cursor the plan was made from, and where it moves. The call writes
   * nothing (`moved`) when another scheduler moved the cursor since, nor (`disabled`) when the
   * schedule was disabled. Null for run now: one manual tick at `ticks[0].fireAt`, made
   * whatever the overlap policy and whether or not the schedule is enabled.
   */
  advance: { cursorAt: number; cursorTo: number; nextAt: number | null } | null;
  ticks: PlannedTick[];
  /** True when the schedule's task cannot be built now: a tick waiting for its previous run
   * keeps waiting instead of being given a task. */
  holdWaiting?: boolean;
  /** The task of a tick that fires (called inside the transaction; it must not throw). */
  newTask: (scheduledAt: number) => NewTask;
}

/** What became of one tick. */
export interface TickOutcome {
  scheduledAt: number;
  manual: boolean;
  backfill: boolean;
  taskId: string | null;
  skipped: SkipReason | null;
  /** Recorded as waiting for the previous run (overlap `queue`): its task comes later. */
  waiting: boolean;
  /** A waiting tick that got its task in this call. */
  released: boolean;
}

export type ScheduleFireResult =
  | { ok: true; ticks: TickOutcome[] }
  | { ok: false; reason: 'not_found' | 'moved' | 'disabled' | 'tick_exists' };

export type ScheduleSaveResult =
  | { ok: true }
  | { ok: false; reason: 'exists' | 'not_found'; name: string };

/** A task's schedule, by task id. */
export interface TaskScheduleLink {
  taskId: string;
  link: ScheduleLink;
}

/** One schedule's stats from its ticks and their tasks. */
export interface ScheduleStatsRow {
  name: string;
  stats: ScheduleStats;
  lastRunAt: number | null;
}

export type { ScheduleDayReport, ScheduleRun };
