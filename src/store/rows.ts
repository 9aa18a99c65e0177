/**
 * Rows both adapters read the same way (the columns hold plain numbers and text in both), mapped
 * to the records of `src/core/task.ts`. Adapter-specific rows (tasks, executions, workers: JSON
 * and booleans differ by driver) stay in each adapter's `rows.ts`.
 */

import { priorityName } from '../core/priority.ts';
import type { QueueInfo } from '../core/queue.ts';
import type { TaskStatus } from '../core/status.ts';
import type {
  Artifact,
  HistoryEntry,
  LogEntry,
  LogLevel,
  PipelineLink,
  Task,
  TaskErrorInfo,
} from '../core/task.ts';

/** What a claim reads of a ready task (JSON already parsed), before it claims it. */
export interface ClaimableRow {
  id: string;
  name: string | null;
  type: string;
  queue: string;
  priority: number;
  input: unknown;
  output: unknown;
  error: TaskErrorInfo | null;
  /** Attempts before this claim. */
  attempt: number;
  max_attempts: number;
  idempotency_key: string | null;
  run_at: number;
  created_at: number;
  crash_count: number;
  soft_timeout_ms: number | null;
  hard_timeout_ms: number | null;
  run_id: string | null;
  step: string | null;
  map_index: number | null;
}

/** A task's own timeout from its two columns: null when it has neither (its type's apply). */
export function timeoutOf(
  soft: number | null,
  hard: number | null,
): { softMs?: number; hardMs?: number } | null {
  if (soft === null && hard === null) return null;
  return {
    ...(soft === null ? {} : { softMs: soft }),
    ...(hard === null ? {} : { hardMs: hard }),
  };
}

/** A pipeline task's link from its three columns. */
export function pipelineLink(r: {
  run_id: string | null;
  step: string | null;
  map_index: number | null;
}): PipelineLink | null {
  if (r.run_id === null || r.step === null) return null;
  return { runId: r.run_id, step: r.step, item: r.map_index };
}

/** The task as a claim leaves it: the row as read, with what the claim wrote (the adapters read
 * no more than they must on the hot path). */
export function claimedTask(r: ClaimableRow, now: number, expires: number, workerId: string): Task {
  return {
    id: r.id,
    name: r.name ?? null,
    type: r.type,
    queue: r.queue,
    priority: priorityName(r.priority),
    status: 'running',
    input: r.input,
    output: r.output ?? null,
    error: r.error,
    attempt: r.attempt + 1,
    maxAttempts: r.max_attempts,
    progress: null,
    progressMessage: null,
    idempotencyKey: r.idempotency_key,
    runAt: new Date(r.run_at),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(now),
    startedAt: new Date(now),
    finishedAt: null,
    workerId,
    leaseExpiresAt: new Date(expires),
    cancelRequested: false,
    crashCount: r.crash_count,
    timeout: timeoutOf(r.soft_timeout_ms, r.hard_timeout_ms),
    // Read apart (scheduleLinkList): a join here would cost every read of a task.
    schedule: null,
    pipeline: pipelineLink(r),
  };
}

export interface HistoryRow {
  id: number;
  task_id: string;
  from_status: TaskStatus | null;
  to_status: TaskStatus;
  at: number;
  reason: string | null;
  worker_id: string | null;
}

export function toHistory(r: HistoryRow): HistoryEntry {
  return {
    id: r.id,
    taskId: r.task_id,
    from: r.from_status,
    to: r.to_status,
    at: new Date(r.at),
    reason: r.reason,
    workerId: r.worker_id,
  };
}

export interface LogRow {
  id: number;
  task_id: string;
  attempt: number;
  level: LogLevel;
  message: string;
  at: number;
}

export function toLog(r: LogRow): LogEntry {
  return {
    id: r.id,
    taskId: r.task_id,
    attempt: r.attempt,
    level: r.level,
    message: r.message,
    at: new Date(r.at),
  };
}

export interface ArtifactRow {
  id: string;
  task_id: string;
  attempt: number;
  name: string;
  path: string;
  size: number;
  sha256: string;
  created_at: number;
}

/** The parameters of both adapters' `artifact-insert.sql`, in order. */
export function artifactInsertParams(now: number, token: string, a: Omit<Artifact, 'createdAt'>) {
  return [a.id, a.taskId, a.attempt, a.name, a.path, a.size, a.sha256, now, token] as const;
}

export function toArtifact(r: ArtifactRow): Artifact {
  return {
    id: r.id,
    taskId: r.task_id,
    attempt: r.attempt,
    name: r.name,
    path: r.path,
    size: r.size,
    sha256: r.sha256,
    createdAt: new Date(r.created_at),
  };
}

/** A queue's stored settings, as both adapters read them (`paused` already a boolean). */
export interface QueueSettingsRow {
  name: string;
  paused: boolean;
  concurrency: number | null;
}

/** Tasks of a queue in one status. */
export interface QueueCountRow {
  queue: string;
  status: TaskStatus;
  count: number;
}

/** The run-at of a queue's longest-waiting ready task (queue-oldest.sql); null: none. */
export interface QueueOldestRow {
  queue: string;
  oldest: number | string | null;
}

/** The queues that hold tasks a claim might take (queued or retrying): the only ones
 * queue-oldest.sql needs to look into. */
export function queuesWithWaiting(counts: readonly QueueCountRow[]): string[] {
  const names = new Set<string>();
  for (const c of counts) {
    if ((c.status === 'queued' || c.status === 'retrying') && Number(c.count) > 0) {
      names.add(c.queue);
    }
  }
  return [...names];
}

/** Every queue that has settings or tasks, by name: a queue with tasks and no settings row is
 * unpaused and unlimited. */
export function toQueues(
  settings: QueueSettingsRow[],
  counts: QueueCountRow[],
  oldest: readonly QueueOldestRow[] = [],
): QueueInfo[] {
  const queues = new Map<string, QueueInfo>();
  const blank = (name: string): QueueInfo => ({
    name,
    paused: false,
    concurrency: null,
    counts: {},
    oldestWaitingAt: null,
  });
  for (const q of settings) {
    queues.set(q.name, { ...blank(q.name), paused: q.paused, concurrency: q.concurrency });
  }
  for (const c of counts) {
    let q = queues.get(c.queue);
    if (q === undefined) {
      q = blank(c.queue);
      queues.set(c.queue, q);
    }
    q.counts[c.status] = c.count;
  }
  for (const o of oldest) {
    const q = queues.get(o.queue);
    if (q !== undefined && o.oldest !== null) q.oldestWaitingAt = new Date(Number(o.oldest));
  }
  return [...queues.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
