/** Rows as SQLite returns them, and their mapping to the records of `src/core/task.ts`. */
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
  input: string;
  output: string | null;
  error: string | null;
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
  cancel_requested: number;
  crash_count: number;
  /** History entries so far; the last one's number (see the PostgreSQL adapter's TaskRow). */
  seq: number;
  submitted_as: TaskStatus | null;
  claimed_from: TaskStatus | null;
  outcome: ExecutionOutcome | null;
  metrics: string | null;
  end_reason: string | null;
  attempt_error: number;
  settled_by: string | null;
  waiting_on: number;
  dependents: number;
}

function json<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
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
    input: JSON.parse(r.input),
    output: json(r.output),
    error: json<TaskErrorInfo>(r.error),
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
    cancelRequested: r.cancel_requested !== 0,
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
  error: string | null;
  metrics: string | null;
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
    error: json<TaskErrorInfo>(r.error),
    metrics: json<ExecutionMetrics>(r.metrics),
  };
}

export interface WorkerRow {
  id: string;
  name: string;
  host: string;
  pid: number;
  concurrency: number;
  types: string;
  queues: string | null;
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
    types: JSON.parse(r.types) as string[],
    queues: json<string[]>(r.queues),
    version: r.version,
    startedAt: new Date(r.started_at),
    lastHeartbeatAt: new Date(r.last_heartbeat_at),
    load: r.load,
    rssBytes: r.rss_bytes,
    state: now - r.last_heartbeat_at > offlineAfterMs ? 'offline' : r.state,
  };
}

export {
  type ArtifactRow,
  type HistoryRow,
  type LogRow,
  toArtifact,
  toHistory,
  toLog,
} from '../rows.ts';
