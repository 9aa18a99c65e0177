/** Status changes asked for by people (cancel, retry), checked against the transition table.
 * Each locks the task first (task-lock), changes it, and reads it back: MySQL has no RETURNING. */
import {
  assertTransition,
  canTransition,
  isTerminal,
  PRIORITY_CHANGE_STATUSES,
  RETRYABLE_STATUSES,
  type TaskStatus,
} from '../../core/status.ts';
import type { Task } from '../../core/task.ts';
import type { ChangeResult, RunEnd, StatusBoundResult } from '../contract.ts';
import type { MySession } from './connection.ts';
import { runFollowUps } from './follow-ups.ts';
import { lockRuns, runPipelineFollowUps } from './pipeline-follow-ups.ts';
import { deleteTaskRows } from './purge.ts';
import { type TaskRow, toTask } from './rows.ts';

/** The history entry of a change `row` just went through (its `seq` counts it already). */
export async function addHistory(
  s: MySession,
  now: number,
  row: TaskRow,
  from: TaskStatus,
  reason: string,
): Promise<void> {
  await s.run('history-insert-many', [
    now,
    JSON.stringify([[row.id, row.seq, from, row.status, reason, null]]),
  ]);
}

/** The row as this transaction left it: the task is locked by it, so it is there. */
export async function reread(s: MySession, id: string): Promise<TaskRow> {
  const row = await s.get<TaskRow>('task-get', [id]);
  if (row === undefined) throw new Error(`task ${id} vanished under its own row lock`);
  return row;
}

/** Runs inside a transaction. */
export async function cancelTask(
  s: MySession,
  p: { now: number; id: string; reason: string },
): Promise<ChangeResult & { immediate?: boolean; runEnded?: RunEnd }> {
  // A pipeline task's run is locked before the task (pipeline-follow-ups.ts); its run never
  // changes, so a plain read finds it.
  const runId = (await s.get<TaskRow>('task-get', [p.id]))?.run_id ?? null;
  const locked = await lockRuns(s, runId === null ? [] : [runId]);
  const current = await s.get<TaskRow>('task-lock', [p.id]);
  if (current === undefined) return { ok: false, reason: 'not_found' };
  const from = current.status;
  if (from === 'running') {
    // The worker holding the lease ends the attempt; the status changes when it settles.
    await s.run('task-cancel-request', [p.now, p.id]);
    return { ok: true, task: toTask(await reread(s, p.id)), from, immediate: false };
  }
  if (!canTransition(from, 'cancelled')) {
    return { ok: false, reason: 'illegal_transition', from, to: 'cancelled' };
  }
  await s.run('task-cancel', [p.now, p.now, p.id]);
  const row = await reread(s, p.id);
  await addHistory(s, p.now, row, from, p.reason);
  await runFollowUps(s, p.now, [
    { id: row.id, to: 'cancelled', hasDependents: row.dependents > 0 },
  ]);
  const ended =
    runId === null
      ? []
      : (await runPipelineFollowUps(s, p.now, [{ id: row.id, runId, to: 'cancelled' }], locked))
          .ended;
  return {
    ok: true,
    task: toTask(row),
    from,
    immediate: true,
    ...(ended[0] === undefined ? {} : { runEnded: ended[0] }),
  };
}

/** Runs inside a transaction. */
export async function retryTask(
  s: MySession,
  p: { now: number; id: string; maxAttempts?: number },
): Promise<ChangeResult> {
  const current = await s.get<TaskRow>('task-lock', [p.id]);
  if (current === undefined) return { ok: false, reason: 'not_found' };
  const from = current.status;
  if (!(RETRYABLE_STATUSES as readonly TaskStatus[]).includes(from)) {
    return { ok: false, reason: 'illegal_transition', from, to: 'queued' };
  }
  assertTransition(from, 'queued', { id: p.id });
  // The attempt that ended the task leaves its row for executions first.
  await s.run('execution-move', [p.id]);
  await s.run('task-retry', [p.maxAttempts ?? null, p.now, p.now, p.id]);
  const row = await reread(s, p.id);
  await addHistory(s, p.now, row, from, 'retried');
  return { ok: true, task: toTask(row), from };
}

/** Runs inside a transaction. */
export async function setTaskPriority(
  s: MySession,
  p: { now: number; id: string; priority: number },
): Promise<StatusBoundResult<{ task: Task }>> {
  const current = await s.get<TaskRow>('task-lock', [p.id]);
  if (current === undefined) return { ok: false, reason: 'not_found' };
  if (!PRIORITY_CHANGE_STATUSES.includes(current.status)) {
    return { ok: false, reason: 'wrong_status', status: current.status };
  }
  await s.run('task-set-priority', [p.priority, p.now, p.id]);
  return { ok: true, task: toTask(await reread(s, p.id)) };
}

/** Runs inside a transaction. */
export async function deleteTask(
  s: MySession,
  p: { id: string },
): Promise<StatusBoundResult<{ artifactPaths: string[] }>> {
  const current = await s.get<TaskRow>('task-lock', [p.id]);
  if (current === undefined) return { ok: false, reason: 'not_found' };
  if (!isTerminal(current.status)) {
    return { ok: false, reason: 'wrong_status', status: current.status };
  }
  return { ok: true, artifactPaths: await deleteTaskRows(s, [p.id]) };
}
