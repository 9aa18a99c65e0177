/**
 * Schedule rows as each driver returns them, mapped once to the records of the contract, and the
 * parameters both adapters bind for a schedule (src/store/driver-rows.ts does the same for tasks).
 */
import type { OverlapPolicy, ScheduleRun, SkipReason } from '../core/schedule.ts';
import type { TaskStatus } from '../core/status.ts';
import { isTerminal } from '../core/status.ts';
import type { TaskTimeout } from '../core/task-options.ts';
import type { ColumnForms, ColumnReader } from './driver-rows.ts';
import type {
  ScheduleDayReport,
  ScheduleStatsRow,
  StoredSchedule,
  TaskScheduleLink,
} from './schedule-contract.ts';
import type { FireRead } from './schedule-fire.ts';

export interface ScheduleRowOf<F extends ColumnForms> {
  name: string;
  cron: string;
  timezone: string;
  task_type: string;
  input: F['json'];
  priority: number;
  queue: string;
  max_attempts: number | null;
  timeout: F['json'] | null;
  enabled: F['bool'];
  description: string | null;
  overlap: OverlapPolicy;
  catch_up: StoredSchedule['catchUp'];
  catch_up_window_ms: number;
  created_at: number;
  updated_at: number;
  cursor_at: number;
  next_at: number | null;
}

export function scheduleFromRow<F extends ColumnForms>(
  r: ScheduleRowOf<F>,
  read: ColumnReader<F>,
): StoredSchedule {
  return {
    name: r.name,
    cron: r.cron,
    timezone: r.timezone,
    task: r.task_type,
    input: read.json(r.input),
    priority: r.priority,
    queue: r.queue,
    maxAttempts: r.max_attempts,
    timeout: read.json<TaskTimeout>(r.timeout),
    enabled: read.bool(r.enabled),
    description: r.description,
    overlap: r.overlap,
    catchUp: r.catch_up,
    catchUpWindowMs: r.catch_up_window_ms,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    cursorAt: r.cursor_at,
    nextAt: r.next_at,
  };
}

/** schedule-insert.sql's parameters, in order (JSON as text, booleans as the driver binds). */
export function scheduleParams<B>(
  s: StoredSchedule,
  now: number,
  bool: (value: boolean) => B,
): unknown[] {
  return [
    s.name,
    s.cron,
    s.timezone,
    s.task,
    JSON.stringify(s.input ?? null),
    s.priority,
    s.queue,
    s.maxAttempts,
    s.timeout === null ? null : JSON.stringify(s.timeout),
    bool(s.enabled),
    s.description,
    s.overlap,
    s.catchUp,
    s.catchUpWindowMs,
    now,
    s.cursorAt,
    s.nextAt,
  ];
}

export interface FireStateRowOf<F extends ColumnForms> {
  cursor_at: number;
  enabled: F['bool'];
  overlap: OverlapPolicy;
  newest_status: TaskStatus | null;
  waiting_at: number | null;
}

export function fireReadFromRow<F extends ColumnForms>(
  r: FireStateRowOf<F> | undefined,
  read: ColumnReader<F>,
): FireRead | null {
  if (r === undefined) return null;
  return {
    cursorAt: r.cursor_at,
    enabled: read.bool(r.enabled),
    overlap: r.overlap,
    newestStatus: r.newest_status,
    waitingAt: r.waiting_at,
  };
}

export interface TickRunRowOf<F extends ColumnForms> {
  schedule_name: string;
  fire_at: number;
  manual: F['bool'];
  backfill: F['bool'];
  task_id: string | null;
  skipped: SkipReason | null;
  status: TaskStatus | null;
  started_at: number | null;
  finished_at: number | null;
}

export function runFromRow<F extends ColumnForms>(
  r: TickRunRowOf<F>,
  read: ColumnReader<F>,
): ScheduleRun {
  const ended =
    r.status !== null && isTerminal(r.status) && r.started_at !== null && r.finished_at !== null;
  return {
    schedule: r.schedule_name,
    scheduledAt: new Date(r.fire_at),
    backfill: read.bool(r.backfill),
    manual: read.bool(r.manual),
    taskId: r.task_id,
    skipped: r.skipped,
    status: r.status,
    durationMs: ended ? (r.finished_at as number) - (r.started_at as number) : null,
  };
}

export interface LinkRowOf<F extends ColumnForms> {
  task_id: string;
  schedule_name: string;
  fire_at: number;
  backfill: F['bool'];
  manual: F['bool'];
}

export function linkFromRow<F extends ColumnForms>(
  r: LinkRowOf<F>,
  read: ColumnReader<F>,
): TaskScheduleLink {
  return {
    taskId: r.task_id,
    link: {
      schedule: r.schedule_name,
      scheduledAt: new Date(r.fire_at),
      backfill: read.bool(r.backfill),
      manual: read.bool(r.manual),
    },
  };
}

/** Counts and durations as both drivers return them (numbers; SQLite's sums may be null). */
interface OutcomeCounts {
  runs: number;
  completed: number | null;
  failed: number | null;
  mean_ms: number | null;
  max_ms: number | null;
}

export interface StatsRow extends OutcomeCounts {
  schedule_name: string;
  skipped_overlap: number | null;
  skipped_catch_up: number | null;
  skipped_invalid: number | null;
  min_ms: number | null;
  last_run_at: number | null;
}

function successRate(completed: number, failed: number): number | null {
  return completed + failed === 0 ? null : completed / (completed + failed);
}

export function statsFromRow(r: StatsRow): ScheduleStatsRow {
  const completed = r.completed ?? 0;
  const failed = r.failed ?? 0;
  return {
    name: r.schedule_name,
    lastRunAt: r.last_run_at,
    stats: {
      runs: r.runs,
      completed,
      failed,
      successRate: successRate(completed, failed),
      meanDurationMs: r.mean_ms,
      minDurationMs: r.min_ms,
      maxDurationMs: r.max_ms,
      skipped: {
        overlap: r.skipped_overlap ?? 0,
        catch_up: r.skipped_catch_up ?? 0,
        invalid: r.skipped_invalid ?? 0,
      },
    },
  };
}

export interface ReportRow extends OutcomeCounts {
  schedule_name: string;
  day: number;
  skipped: number | null;
}

export function reportFromRow(r: ReportRow): ScheduleDayReport {
  const completed = r.completed ?? 0;
  const failed = r.failed ?? 0;
  return {
    schedule: r.schedule_name,
    day: new Date(r.day * 86_400_000).toISOString().slice(0, 10),
    runs: r.runs,
    completed,
    failed,
    skipped: r.skipped ?? 0,
    successRate: successRate(completed, failed),
    meanDurationMs: r.mean_ms,
    maxDurationMs: r.max_ms,
  };
}

/** The stats of a schedule with no tick yet. */
export function emptyStats(name: string): ScheduleStatsRow {
  return statsFromRow({
    schedule_name: name,
    runs: 0,
    completed: 0,
    failed: 0,
    skipped_overlap: 0,
    skipped_catch_up: 0,
    skipped_invalid: 0,
    mean_ms: null,
    min_ms: null,
    max_ms: null,
    last_run_at: null,
  });
}
