/** Status changes asked for by people (cancel, retry), checked against the transition table. */
import {
  assertTransition,
  canTransition,
  isTerminal,
  PRIORITY_CHANGE_STATUSES,
  RETRYABLE_STATUSES,
  type TaskStatus,
} from '../../core/status.ts';
import type { Task } from '../../core/task.ts';
import type { ChangeResult, StatusBoundResult } from '../contract.ts';
import type { SqliteConnection } from './connection.ts';
import { runFollowUps } from './follow-ups.ts';
import { runPipelineFollowUps } from './pipeline-follow-ups.ts';
import { deleteTaskRows } from './purge.ts';
import { type TaskRow, toTask } from './rows.ts';

/** The history entry of a change `row` just went through (its `seq` counts it already). */
function addHistory(
  conn: SqliteConnection,
  now: number,
  row: TaskRow,
  from: TaskStatus,
  reason: string,
): void {
  conn.run(
    'history-insert-many',
    now,
    JSON.stringify([[row.id, row.seq, from, row.status, reason, null]]),
  );
}

/** Runs inside a write transaction. */
export function cancelTask(
  conn: SqliteConnection,
  p: { now: number; id: string; reason: string },
): ChangeResult & { immediate?: boolean } {
  const current = conn.get<TaskRow>('task-get', p.id);
  if (current === undefined) return { ok: false, reason: 'not_found' };
  const from = current.status;
  if (from === 'running') {
    // The worker holding the lease ends the attempt; the status changes when it settles.
    const row = conn.get<TaskRow>('task-cancel-request', p.id, p.now) as TaskRow;
    return { ok: true, task: toTask(row), from, immediate: false };
  }
  if (!canTransition(from, 'cancelled')) {
    return { ok: false, reason: 'illegal_transition', from, to: 'cancelled' };
  }
  const row = conn.get<TaskRow>('task-cancel', p.id, p.now) as TaskRow;
  addHistory(conn, p.now, row, from, p.reason);
  runFollowUps(conn, p.now, [{ id: row.id, to: 'cancelled', hasDependents: row.dependents > 0 }]);
  const runId = row.run_id;
  const ended =
    runId === null
      ? []
      : runPipelineFollowUps(conn, p.now, [{ id: row.id, runId, to: 'cancelled' }]);
  return {
    ok: true,
    task: toTask(row),
    from,
    immediate: true,
    ...(ended[0] === undefined ? {} : { runEnded: ended[0] }),
  };
}

/** Runs inside a write transaction. */
export function retryTask(
  conn: SqliteConnection,
  p: { now: number; id: string; maxAttempts?: number },
): ChangeResult {
  const current = conn.get<TaskRow>('task-get', p.id);
  if (current === undefined) return { ok: false, reason: 'not_found' };
  const from = current.status;
  if (!(RETRYABLE_STATUSES as readonly TaskStatus[]).includes(from)) {
    return { ok: false, reason: 'illegal_transition', from, to: 'queued' };
  }
  assertTransition(from, 'queued', { id: p.id });
  conn.run('execution-move', p.id);
  const row = conn.get<TaskRow>('task-retry', p.id, p.now, p.maxAttempts ?? null) as TaskRow;
  addHistory(conn, p.now, row, from, 'retried');
  return { ok: true, task: toTask(row), from };
}

/** Runs inside a write transaction. */
export function setTaskPriority(
  conn: SqliteConnection,
  p: { now: number; id: string; priority: number },
): StatusBoundResult<{ task: Task }> {
  const current = conn.get<TaskRow>('task-get', p.id);
  if (current === undefined) return { ok: false, reason: 'not_found' };
  if (!PRIORITY_CHANGE_STATUSES.includes(current.status)) {
    return { ok: false, reason: 'wrong_status', status: current.status };
  }
  const row = conn.get<TaskRow>('task-set-priority', p.id, p.now, p.priority) as TaskRow;
  return { ok: true, task: toTask(row) };
}

/** Runs inside a write transaction. */
export function deleteTask(
  conn: SqliteConnection,
  p: { id: string },
): StatusBoundResult<{ artifactPaths: string[] }> {
  const current = conn.get<TaskRow>('task-get', p.id);
  if (current === undefined) return { ok: false, reason: 'not_found' };
  if (!isTerminal(current.status)) {
    return { ok: false, reason: 'wrong_status', status: current.status };
  }
  return { ok: true, artifactPaths: deleteTaskRows(conn, [p.id]) };
}
