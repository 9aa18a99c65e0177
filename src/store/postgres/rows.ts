/**
 * Rows as `pg` returns them from this schema (bigint as numbers, jsonb parsed, booleans and text
 * arrays native), and their mapping to the records of `src/core/task.ts`.
 */
import { priorityName } from '../../core/priority.ts';
import type { TaskStatus } from '../../core/status.ts';
import type {
  Execution,
  ExecutionMetrics,
  ExecutionOutcome,
  Task,
  TaskErrorInfo,
} from '../../core/task.ts';
import type { WorkerInfo } from '../../core/worker-info.ts';

export interface TaskRow {
  id: string;
  type: string;
  queue: string;
  priority: number;
  status: TaskStatus;
  input: unknown;
  output: unknown;
  error: TaskErrorInfo | null;
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
  cancel_requested: boolean;
  crash_count: number;
  /** History entries so far; the last one's number. */
  seq: number;
  /** The status a task was submitted in, when its first history entry is read from the row. */
  submitted_as: TaskStatus | null;
  /** The status the attempt on the row was claimed from. */
  claimed_from: TaskStatus | null;
  /** How the attempt on the row ended, while it is the task's last (null while it runs). */
  outcome: ExecutionOutcome | null;
  metrics: ExecutionMetrics | null;
  end_reason: string | null;
  /** The task's error is that attempt's error. */
  attempt_error: boolean;
  /** Who settled that attempt, when not its own worker (a sweeper). */
  settled_by: string | null;
  waiting_on: number;
  dependents: number;
}

function date(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

export function toTask(r: TaskRow): Task {
  return {
    id: r.id,
    type: r.type,
    queue: r.queue,
    priority: priorityName(r.priority),
    status: r.status,
    input: r.input,
    output: r.output ?? null,
    error: r.error,
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
    cancelRequested: r.cancel_requested,
    crashCount: r.crash_count,
  };
}

export interface ExecutionRow {
  id: string;
  task_id: string;
  attempt: number;
  worker_id: string;
  started_at: number;
  finished_at: number | null;
  outcome: ExecutionOutcome | null;
  error: TaskErrorInfo | null;
  metrics: ExecutionMetrics | null;
}

export function toExecution(r: ExecutionRow): Execution {
  return {
    id: r.id,
    taskId: r.task_id,
    attempt: r.attempt,
    workerId: r.worker_id,
    startedAt: new Date(r.started_at),
    finishedAt: date(r.finished_at),
    outcome: r.outcome,
    error: r.error,
    metrics: r.metrics,
  };
}

export interface WorkerRow {
  id: string;
  name: string;
  host: string;
  pid: number;
  concurrency: number;
  types: string[];
  queues: string[] | null;
  version: string;
  state: 'online' | 'draining';
  started_at: number;
  last_heartbeat_at: number;
  load: number;
  rss_bytes: number;
}

export function toWorker(r: WorkerRow, now: number, offlineAfterMs: number): WorkerInfo {
  return {
    id: r.id,
    name: r.name,
    host: r.host,
    pid: r.pid,
    concurrency: r.concurrency,
    types: r.types,
    queues: r.queues,
    version: r.version,
    startedAt: new Date(r.started_at),
    lastHeartbeatAt: new Date(r.last_heartbeat_at),
    load: r.load,
    rssBytes: r.rss_bytes,
    state: now - r.last_heartbeat_at > offlineAfterMs ? 'offline' : r.state,
  };
}

export interface ExpiredRow {
  id: string;
  lease_token: string;
  type: string;
  queue: string;
  attempt: number;
  max_attempts: number;
  crash_count: number;
  cancel_requested: boolean;
  worker_id: string | null;
}

export {
  type ArtifactRow,
  type HistoryRow,
  type LogRow,
  toArtifact,
  toHistory,
  toLog,
} from '../rows.ts';
