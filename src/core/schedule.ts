/**
 * Schedules: a cron expression that submits a task of one type at each of its fire times. The
 * words here are shared by the library (`mill.schedules`), the HTTP API, the client and the CLI,
 * so each surface says the same thing the same way. Nothing here touches Node: the client loads
 * it in a browser.
 */
import type { Priority } from './priority.ts';
import type { TaskStatus } from './status.ts';
import type { TaskTimeout } from './task-options.ts';

/** What a tick does while the schedule's previous task has not finished. */
export const OVERLAP_POLICIES = ['allow', 'skip', 'queue'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

/** What happens to ticks that came while no scheduler ran. */
export const CATCH_UP_POLICIES = ['none', 'latest', 'all'] as const;
export type CatchUpPolicy = (typeof CATCH_UP_POLICIES)[number];

/**
 * Why a tick made no task: `overlap` (the previous run had not finished), `catch_up` (missed
 * while no scheduler ran), `invalid` (its task could not be built: the stored input no longer
 * fits the type's schema, say; the error is logged by the scheduler that recorded it).
 */
export const SKIP_REASONS = ['overlap', 'catch_up', 'invalid'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** A schedule as a user writes it: in code, in a request body or in a config file. */
export interface ScheduleDefinition {
  /** Unique; letters, digits, `.`, `_`, `-`, `:`; at most 128 characters. */
  name: string;
  /** Five fields (minute first), six (seconds first), or `@yearly` … `@hourly`. */
  cron: string;
  /** IANA time zone the expression is read in. Default `UTC`. */
  timezone?: string;
  /** The task type each tick submits. */
  task: string;
  /** The task's input, checked against the type's schema when the schedule is saved. */
  input?: unknown;
  priority?: Priority;
  queue?: string;
  maxAttempts?: number;
  timeout?: TaskTimeout;
  /** Default true. */
  enabled?: boolean;
  description?: string;
  /** Default `allow`. */
  overlap?: OverlapPolicy;
  /** Default `none`. */
  catchUp?: CatchUpPolicy;
  /** With `catchUp: 'all'`: only ticks this recent are backfilled. Default 24 h. */
  catchUpWindowMs?: number;
}

/**
 * How a schedule has done, from its recorded ticks and the tasks they made. Tick records are
 * kept for the scheduler's `keepRunsMs` (default 30 days) and then deleted, so every figure here
 * (runs, outcomes, success rate, durations, skipped counts) covers the ticks kept, not the
 * schedule's whole life; a tick whose task has not ended, or that waits for its previous run, is
 * kept however old. A tick whose task was deleted (purged) still counts as a run, with no outcome.
 */
export interface ScheduleStats {
  /** Ticks kept that made a task (run now included). */
  runs: number;
  completed: number;
  failed: number;
  /** completed / (completed + failed-like endings), or null before any run ended. */
  successRate: number | null;
  meanDurationMs: number | null;
  minDurationMs: number | null;
  maxDurationMs: number | null;
  /** Ticks kept that made no task, by reason. */
  skipped: Record<SkipReason, number>;
}

/** A stored schedule with its state (defaults filled in). */
export interface Schedule {
  name: string;
  cron: string;
  timezone: string;
  task: string;
  input: unknown;
  priority: Priority;
  queue: string;
  maxAttempts: number | null;
  timeout: TaskTimeout | null;
  enabled: boolean;
  description: string | null;
  overlap: OverlapPolicy;
  catchUp: CatchUpPolicy;
  catchUpWindowMs: number;
  createdAt: Date;
  updatedAt: Date;
  /** The last tick kept that made a task, or null (none yet, or all older than `keepRunsMs`). */
  lastRunAt: Date | null;
  /** The next fire time after now, or null when disabled or the expression has no more. */
  nextRunAt: Date | null;
  stats: ScheduleStats;
}

/** One tick of a schedule and what came of it. */
export interface ScheduleRun {
  schedule: string;
  /** The tick's fire time (for run now: when it was asked). */
  scheduledAt: Date;
  /** A tick missed while no scheduler ran, fired later by the catch-up policy. */
  backfill: boolean;
  /** Made by run now rather than by the expression. */
  manual: boolean;
  /** The task it made; null when skipped. */
  taskId: string | null;
  skipped: SkipReason | null;
  /** The task's status now (null when skipped or the task was deleted). */
  status: TaskStatus | null;
  durationMs: number | null;
}

/** Where a task came from, when a schedule made it: shown by `show` and in the task's body. */
export interface ScheduleLink {
  schedule: string;
  scheduledAt: Date;
  backfill: boolean;
  manual: boolean;
}

/** One schedule's day in the daily report. */
export interface ScheduleDayReport {
  schedule: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  runs: number;
  completed: number;
  failed: number;
  skipped: number;
  successRate: number | null;
  meanDurationMs: number | null;
  maxDurationMs: number | null;
}

/** What `apply` did with a set of definitions (a config file). */
export interface ScheduleApplyResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Stored schedules missing from the set: disabled, never deleted. */
  disabled: string[];
}

/**
 * The schedule operations of the library (`mill.schedules`) and the client (`client.schedules`):
 * the same names, arguments and meaning. `S` is the schedule as each returns it.
 */
export interface ScheduleOperations<S = Schedule, R = ScheduleRun> {
  /** Create; SCHEDULE_EXISTS when the name is taken. */
  add(definition: ScheduleDefinition): Promise<S>;
  /** Change the named schedule's fields; the others stay. SCHEDULE_NOT_FOUND when unknown. */
  update(name: string, changes: Partial<Omit<ScheduleDefinition, 'name'>>): Promise<S>;
  enable(name: string): Promise<S>;
  disable(name: string): Promise<S>;
  /** Submit its task now, outside the expression (recorded as a manual run). */
  runNow(name: string): Promise<R>;
  /** Delete the schedule and its tick records; the tasks it made stay. */
  remove(name: string): Promise<void>;
  list(): Promise<S[]>;
  get(name: string): Promise<S>;
  /** The next `count` fire times after now (or after `from`). */
  next(name: string, count?: number, from?: Date): Promise<Date[]>;
  /** Recent ticks, newest first (those kept: see ScheduleStats). */
  runs(name: string, options?: { limit?: number }): Promise<R[]>;
  /** Create, update and disable so that the stored schedules match `definitions`; all or none. */
  apply(definitions: ScheduleDefinition[]): Promise<ScheduleApplyResult>;
  /** Per schedule and UTC day, the last `days` days (default 1: today). */
  report(options?: { days?: number }): Promise<ScheduleDayReport[]>;
}
