/** A person's update of a waiting task, and the operator's pause and resume
 * (src/store/task-change-contract.ts). */
import type { TaskStatus } from '../../core/status.ts';
import type { Task } from '../../core/task.ts';
import type { ChangeResult, StatusBoundResult, StoreParams } from '../contract.ts';
import { mayOperatorSet, updateReason } from '../task-edit-shared.ts';
import { addHistory, reread } from './change.ts';
import type { MySession } from './connection.ts';
import { type TaskRow, toTask } from './rows.ts';

/** Runs inside a transaction. */
export async function updateTask(
  s: MySession,
  p: StoreParams<'taskUpdate'>,
): Promise<StatusBoundResult<{ task: Task; from: TaskStatus }>> {
  const current = await s.get<TaskRow>('task-lock', [p.id]);
  if (current === undefined) return { ok: false, reason: 'not_found' };
  const c = p.changes;
  const { affectedRows } = await s.run('task-update', [
    c.inputJson ?? null,
    c.priority ?? null,
    c.runAt ?? null,
    c.queue ?? null,
    c.name === undefined ? 0 : 1,
    c.name ?? null,
    p.now,
    p.id,
  ]);
  if (affectedRows !== 1) return { ok: false, reason: 'wrong_status', status: current.status };
  const row = await reread(s, p.id);
  await addHistory(s, p.now, row, row.status, updateReason(c));
  return { ok: true, task: toTask(row), from: row.status };
}

/** Runs inside a transaction. */
export async function setTaskStatus(
  s: MySession,
  p: StoreParams<'taskSetStatus'>,
): Promise<ChangeResult> {
  const current = await s.get<TaskRow>('task-lock', [p.id]);
  if (current === undefined) return { ok: false, reason: 'not_found' };
  const from = current.status;
  if (!mayOperatorSet(from, p.to)) {
    return { ok: false, reason: 'illegal_transition', from, to: p.to };
  }
  await s.run('task-set-status', [p.to, p.now, p.id, from]);
  const row = await reread(s, p.id);
  await addHistory(s, p.now, row, from, p.reason);
  return { ok: true, task: toTask(row), from };
}
