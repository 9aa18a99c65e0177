/** A person's update of a waiting task, and the operator's pause and resume
 * (src/store/task-change-contract.ts). */
import type { TaskStatus } from '../../core/status.ts';
import type { Task } from '../../core/task.ts';
import type { ChangeResult, StatusBoundResult, StoreParams } from '../contract.ts';
import { mayOperatorSet, updateReason } from '../task-edit-shared.ts';
import type { SqliteConnection } from './connection.ts';
import { type TaskRow, toTask } from './rows.ts';

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
export function updateTask(
  conn: SqliteConnection,
  p: StoreParams<'taskUpdate'>,
): StatusBoundResult<{ task: Task; from: TaskStatus }> {
  const c = p.changes;
  const row = conn.get<TaskRow>(
    'task-update',
    p.id,
    p.now,
    c.inputJson ?? null,
    c.priority ?? null,
    c.runAt ?? null,
    c.queue ?? null,
    c.name === undefined ? 0 : 1,
    c.name ?? null,
  );
  if (row === undefined) {
    const current = conn.get<TaskRow>('task-get', p.id);
    if (current === undefined) return { ok: false, reason: 'not_found' };
    return { ok: false, reason: 'wrong_status', status: current.status };
  }
  addHistory(conn, p.now, row, row.status, updateReason(c));
  return { ok: true, task: toTask(row), from: row.status };
}

/** Runs inside a write transaction. */
export function setTaskStatus(
  conn: SqliteConnection,
  p: StoreParams<'taskSetStatus'>,
): ChangeResult {
  const current = conn.get<TaskRow>('task-get', p.id);
  if (current === undefined) return { ok: false, reason: 'not_found' };
  const from = current.status;
  if (!mayOperatorSet(from, p.to))
    return { ok: false, reason: 'illegal_transition', from, to: p.to };
  const row = conn.get<TaskRow>('task-set-status', p.id, p.now, p.to, from) as TaskRow;
  addHistory(conn, p.now, row, from, p.reason);
  return { ok: true, task: toTask(row), from };
}
