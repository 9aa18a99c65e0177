/**
 * Rows whose JSON, boolean and text-array columns each driver hands over in its own form
 * (SQLite: JSON text, 0/1, JSON text; `pg`: parsed JSON, booleans, arrays), and their one
 * mapping to the records of `src/core/task.ts`. Each adapter names its column forms and how to
 * read them (`ColumnReader`); the rest of the mapping is written once, here.
 */
import { priorityName } from '../core/priority.ts';
import type { TaskStatus } from '../core/status.ts';
import type {
  Execution,
  ExecutionMetrics,
  ExecutionOutcome,
  Task,
  TaskErrorInfo,
} from '../core/task.ts';
import type { WorkerInfo } from '../core/worker-info.ts';
import type { ExpiredLease } from './contract.ts';
import { pipelineLink, timeoutOf } from './rows.ts';

/** The forms a driver gives a JSON column, a boolean and a list of text. */
export interface ColumnForms {
  json: unknown;
  bool: unknown;
  list: unknown;
}

export interface ColumnReader<F extends ColumnForms> {
  /** SQL NULL (and JSON null) read as null. */
  json<T>(value: F['json'] | null): T | null;
  bool(value: F['bool']): boolean;
  list(value: F['list'] | null): string[] | null;
}

export interface TaskRowOf<F extends ColumnForms> {
  id: string;
  name: string | null;
  type: string;
  queue: string;
  priority: number;
  status: TaskStatus;
  input: F['json'];
  output: F['json'] | null;
  error: F['json'] | null;
  attempt: number;
  max_attempts: number;
  progress: number | null;
  progress_message: string | null;
  idempotency_key: string | null;
  input_hash: string | null;
  run_at: number;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  worker_id: string | null;
  lease_token: string | null;
  lease_expires_at: number | null;
  execution_id: string | null;
  cancel_requested: F['bool'];
  crash_count: number;
  /** History entries so far; the last one's number. */
  seq: number;
  /** The status a task was submitted in, when its first history entry is read from the row. */
  submitted_as: TaskStatus | null;
  /** The status the attempt on the row was claimed from. */
  claimed_from: TaskStatus | null;
  /** How the attempt on the row ended, while it is the task's last (null while it runs). */
  outcome: ExecutionOutcome | null;
  metrics: F['json'] | null;
  end_reason: string | null;
  /** The task's error is that attempt's error. */
  attempt_error: F['bool'];
  /** Who settled that attempt, when not its own worker (a sweeper). */
  settled_by: string | null;
  waiting_on: number;
  dependents: number;
  /** The timeouts given at submit (null: the type's). */
  soft_timeout_ms: number | null;
  hard_timeout_ms: number | null;
  run_id: string | null;
  step: string | null;
  map_index: number | null;
}

function date(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

export function taskFromRow<F extends ColumnForms>(r: TaskRowOf<F>, read: ColumnReader<F>): Task {
  return {
    id: r.id,
    name: r.name,
    type: r.type,
    queue: r.queue,
    priority: priorityName(r.priority),
    status: r.status,
    input: read.json(r.input),
    output: read.json(r.output),
    error: read.json<TaskErrorInfo>(r.error),
    attempt: r.attempt,
    maxAttempts: r.max_attempts,
    progress: r.progress,
    progressMessage: r.progress_message,
    idempotencyKey: r.idempotency_key,
    runAt: new Date(r.run_at),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
    startedAt: date(r.started_at),
    finishedAt: date(r.finished_at),
    // The row keeps the worker of the attempt that ended the task; it holds the task only while
    // running.
    workerId: r.status === 'running' ? r.worker_id : null,
    leaseExpiresAt: date(r.lease_expires_at),
    cancelRequested: read.bool(r.cancel_requested),
    crashCount: r.crash_count,
    timeout: timeoutOf(r.soft_timeout_ms, r.hard_timeout_ms),
    // Read apart (scheduleLinkList): a join here would cost every read of a task.
    schedule: null,
    pipeline: pipelineLink(r),
  };
}

export interface ExecutionRowOf<F extends ColumnForms> {
  id: string;
  task_id: string;
  attempt: number;
  worker_id: string;
  started_at: number;
  finished_at: number | null;
  outcome: ExecutionOutcome | null;
  error: F['json'] | null;
  metrics: F['json'] | null;
}

export function executionFromRow<F extends ColumnForms>(
  r: ExecutionRowOf<F>,
  read: ColumnReader<F>,
): Execution {
  return {
    id: r.id,
    taskId: r.task_id,
    attempt: r.attempt,
    workerId: r.worker_id,
    startedAt: new Date(r.started_at),
    finishedAt: date(r.finished_at),
    outcome: r.outcome,
    error: read.json<TaskErrorInfo>(r.error),
    metrics: read.json<ExecutionMetrics>(r.metrics),
  };
}

export interface WorkerRowOf<F extends ColumnForms> {
  id: string;
  name: string;
  host: string;
  pid: number;
  concurrency: number;
  types: F['list'];
  queues: F['list'] | null;
  version: string;
  state: 'online' | 'draining';
  started_at: number;
  last_heartbeat_at: number;
  load: number;
  rss_bytes: number;
  unit_type: string | null;
  endpoint: string | null;
  metadata: F['json'] | null;
}

export function workerFromRow<F extends ColumnForms>(
  r: WorkerRowOf<F>,
  read: ColumnReader<F>,
  now: number,
  offlineAfterMs: number,
): WorkerInfo {
  return {
    id: r.id,
    name: r.name,
    host: r.host,
    pid: r.pid,
    concurrency: r.concurrency,
    types: read.list(r.types) ?? [],
    queues: read.list(r.queues),
    version: r.version,
    startedAt: new Date(r.started_at),
    lastHeartbeatAt: new Date(r.last_heartbeat_at),
    load: r.load,
    rssBytes: r.rss_bytes,
    state: now - r.last_heartbeat_at > offlineAfterMs ? 'offline' : r.state,
    unitType: r.unit_type,
    endpoint: r.endpoint,
    metadata: read.json<Record<string, unknown>>(r.metadata),
  };
}

export interface ExpiredRowOf<F extends ColumnForms> {
  id: string;
  lease_token: string;
  type: string;
  queue: string;
  attempt: number;
  max_attempts: number;
  crash_count: number;
  cancel_requested: F['bool'];
  worker_id: string | null;
  run_id: string | null;
}

export function expiredLeaseFromRow<F extends ColumnForms>(
  r: ExpiredRowOf<F>,
  read: ColumnReader<F>,
): ExpiredLease {
  return {
    id: r.id,
    token: r.lease_token,
    type: r.type,
    queue: r.queue,
    attempt: r.attempt,
    maxAttempts: r.max_attempts,
    crashCount: r.crash_count,
    cancelRequested: read.bool(r.cancel_requested),
    workerId: r.worker_id,
    runId: r.run_id,
  };
}
