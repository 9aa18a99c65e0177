/**
 * Pipeline rows as both adapters read them, mapped to the records of the pipeline contract, and
 * the decisions a run's follow-ups make from what they read (written once, for every adapter).
 */
import type { TaskStatus } from '../core/status.ts';
import type { ExecutionMetrics, TaskErrorInfo } from '../core/task.ts';
import type { ColumnForms, ColumnReader } from './driver-rows.ts';
import type { RunError, RunStatus, RunStepRow, StoredRun } from './pipeline-contract.ts';

export interface RunRowOf<F extends ColumnForms> {
  id: string;
  pipeline: string;
  input: F['json'];
  mode: 'parallel' | 'sequential';
  on_failure: 'failFast' | 'continue';
  limits: F['json'];
  status: RunStatus;
  cancel_requested: F['bool'];
  error: F['json'] | null;
  batch_id: string | null;
  batch_index: number | null;
  created_at: number | string;
  updated_at: number | string;
  ended_at: number | string | null;
}

function ms(v: number | string): number;
function ms(v: number | string | null): number | null;
function ms(v: number | string | null): number | null {
  return v === null ? null : Number(v);
}

export function runFromRow<F extends ColumnForms>(
  r: RunRowOf<F>,
  read: ColumnReader<F>,
): StoredRun {
  return {
    id: r.id,
    pipeline: r.pipeline,
    input: read.json(r.input),
    mode: r.mode,
    onFailure: r.on_failure,
    limits: read.json<Record<string, number>>(r.limits) ?? {},
    batch: r.batch_id === null ? null : { id: r.batch_id, index: r.batch_index ?? 0 },
    status: r.status,
    cancelRequested: read.bool(r.cancel_requested),
    error: read.json<RunError>(r.error),
    createdAt: ms(r.created_at),
    updatedAt: ms(r.updated_at),
    endedAt: ms(r.ended_at),
  };
}

export interface StepRowOf<F extends ColumnForms> {
  id: string;
  step: string;
  type: string;
  status: TaskStatus;
  attempt: number;
  max_attempts: number;
  progress: number | null;
  progress_message: string | null;
  output: F['json'] | null;
  error: F['json'] | null;
  metrics: F['json'] | null;
  end_reason: string | null;
  created_at: number | string;
  started_at: number | string | null;
  finished_at: number | string | null;
  updated_at: number | string;
}

export function stepFromRow<F extends ColumnForms>(
  r: StepRowOf<F>,
  read: ColumnReader<F>,
): RunStepRow {
  return {
    taskId: r.id,
    step: r.step,
    type: r.type,
    status: r.status,
    attempt: r.attempt,
    maxAttempts: r.max_attempts,
    progress: r.progress,
    progressMessage: r.progress_message,
    output: read.json(r.output),
    error: read.json<TaskErrorInfo>(r.error),
    metrics: read.json<ExecutionMetrics>(r.metrics),
    reason: r.end_reason,
    createdAt: ms(r.created_at),
    startedAt: ms(r.started_at),
    finishedAt: ms(r.finished_at),
    updatedAt: ms(r.updated_at),
  };
}

/** A run's tasks changed by one transaction: what its follow-ups start from. */
export interface RunChange {
  id: string;
  runId: string;
  to: TaskStatus;
}

/** The runs touched, each once, in id order (the order PostgreSQL locks them in). */
export function runsOf(changes: readonly RunChange[]): string[] {
  return [...new Set(changes.map((c) => c.runId))].sort();
}

/** The change that fails the run, if any: a step that ended failed or timed out by itself. */
export function failureOf(changes: readonly RunChange[], runId: string): RunChange | undefined {
  return changes.find((c) => c.runId === runId && (c.to === 'failed' || c.to === 'timed_out'));
}

/** The run's first failure as kept on the run, from the failed task's step and error. */
export function runError(
  taskId: string,
  step: string | null,
  error: TaskErrorInfo | null,
): RunError {
  return {
    step: step ?? '?',
    taskId,
    code: error?.code ?? 'TASK_FAILED',
    message: error?.message ?? 'The step failed.',
  };
}

/** How a run whose last task has ended ends. */
export function endStatus(run: StoredRun, anyFailed: boolean): Exclude<RunStatus, 'running'> {
  if (run.cancelRequested) return 'cancelled';
  return anyFailed ? 'failed' : 'completed';
}

export const FAIL_FAST_REASON = (step: string) => `pipeline run failing fast: step ${step} failed`;
export const PLACE_REASON = 'a place in its pipeline run is free';
export const RESUME_REASON = 'pipeline run resumed';
