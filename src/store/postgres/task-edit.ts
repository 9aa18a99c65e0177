/** A person's update of a waiting task, and the operator's pause and resume
 * (src/store/task-change-contract.ts). */
import type { TaskStatus } from '../../core/status.ts';
import type { Task } from '../../core/task.ts';
import type { ChangeResult, StatusBoundResult, StoreParams } from '../contract.ts';
import { mayOperatorSet, updateReason } from '../task-edit-shared.ts';
import type { PgSession } from './connection.ts';
import { type TaskRow, toTask } from './rows.ts';

async function addHistory(
  s: PgSession,
  now: number,
  row: TaskRow,
  from: TaskStatus,
  reason: string,
): Promise<void> {
  await s.all('history-insert-many', [
    now,
    [row.id],
    [row.seq],
    [from],
    [row.status],
    [reason],
    [null],
  ]);
}

/** Runs inside a transaction. */
export async function updateTask(
  s: PgSession,
  p: StoreParams<'taskUpdate'>,
): Promise<StatusBoundResult<{ task: Task; from: TaskStatus }>> {
  // Locked first, so the status checked is the one the update meets.
  const current = await s.get<TaskRow>('task-lock', [p.id]);
  if (current === undefined) return { ok: false, reason: 'not_found' };
  const c = p.changes;
  const row = await s.get<TaskRow>('task-update', [
    p.id,
    p.now,
    c.inputJson ?? null,
    c.priority ?? null,
    c.runAt ?? null,
    c.queue ?? null,
    c.name !== undefined,
    c.name ?? null,
  ]);
  if (row === undefined) return { ok: false, reason: 'wrong_status', status: current.status };
  await addHistory(s, p.now, row, row.status, updateReason(c));
  return { ok: true, task: toTask(row), from: row.status };
}

/** Runs inside a transaction. */
export async function setTaskStatus(
  s: PgSession,
  p: StoreParams<'taskSetStatus'>,
): Promise<ChangeResult> {
  const current = await s.get<TaskRow>('task-lock', [p.id]);
  if (current === undefined) return { ok: false, reason: 'not_found' };
  const from = current.status;
  if (!mayOperatorSet(from, p.to))
    return { ok: false, reason: 'illegal_transition', from, to: p.to };
  const row = await s.get<TaskRow>('task-set-status', [p.id, p.now, p.to, from]);
  if (row === undefined) throw new Error(`task ${p.id} changed under its own row lock`);
  await addHistory(s, p.now, row, from, p.reason);
  return { ok: true, task: toTask(row), from };
}
