import type { PriorityName } from './priority.ts';
import type { ScheduleLink } from './schedule.ts';
import type { TaskStatus } from './status.ts';

/** A structured error, kept per attempt and on the task for its last failure. */
export interface TaskErrorInfo {
  code: string;
  message: string;
  stack?: string;
  retryable: boolean;
}

/** One requested run of a task type and where it stands. */
export interface Task<Input = unknown, Output = unknown> {
  id: string;
  /** A person's name for it (1..200 characters), shown in lists and found by search; or null. */
  name: string | null;
  type: string;
  queue: string;
  priority: PriorityName;
  status: TaskStatus;
  input: Input;
  output: Output | null;
  error: TaskErrorInfo | null;
  /** Attempts started in the current series (1 on the first run). */
  attempt: number;
  maxAttempts: number;
  progress: number | null;
  progressMessage: string | null;
  idempotencyKey: string | null;
  runAt: Date;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** The worker holding the lease while running. */
  workerId: string | null;
  leaseExpiresAt: Date | null;
  cancelRequested: boolean;
  /** Workers that died holding this task, in a row. */
  crashCount: number;
  /** The timeouts given at submit, each in place of the type's; null: the type's apply. */
  timeout: { softMs?: number; hardMs?: number } | null;
  /** The schedule tick that made it, or null. Read by `get`, `list` and `wait` (and the HTTP
   * task body); a handler's `ctx.task` and what a change returns carry null. */
  schedule: ScheduleLink | null;
  /** The pipeline run and step this task carries out, or null for a task submitted alone. */
  pipeline: PipelineLink | null;
}

/** Where a pipeline step's task belongs: its run, its step, and for a map step's item, the
 * item's position in the list (null for the step itself). */
export interface PipelineLink {
  runId: string;
  step: string;
  item: number | null;
}

/** How one attempt ended. `released`: given back at shutdown; `crashed`: its worker died. */
export const EXECUTION_OUTCOMES = [
  'completed',
  'failed',
  'timed_out',
  'cancelled',
  'released',
  'crashed',
  'skipped',
] as const;
export type ExecutionOutcome = (typeof EXECUTION_OUTCOMES)[number];

/** Duration (ms, to the microsecond) and peak memory are always there; handlers add their own
 * with `ctx.metric`. */
export interface ExecutionMetrics {
  durationMs: number;
  peakRssBytes: number;
  [name: string]: number;
}

/** One attempt: the seeds' TaskResult, kept per attempt. */
export interface Execution {
  id: string;
  taskId: string;
  attempt: number;
  workerId: string;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: ExecutionOutcome | null;
  error: TaskErrorInfo | null;
  metrics: ExecutionMetrics | null;
}

export interface HistoryEntry {
  /** The entry's position in the task's history, from 1. */
  id: number;
  taskId: string;
  from: TaskStatus | null;
  to: TaskStatus;
  at: Date;
  reason: string | null;
  workerId: string | null;
}

export const LOG_LEVELS = ['info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogEntry {
  id: number;
  taskId: string;
  attempt: number;
  level: LogLevel;
  message: string;
  at: Date;
}

export interface Artifact {
  id: string;
  taskId: string;
  attempt: number;
  name: string;
  /** Path relative to the data folder. */
  path: string;
  size: number;
  sha256: string;
  createdAt: Date;
}
