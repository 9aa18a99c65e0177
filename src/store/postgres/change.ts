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
import type { ChangeResult, RunEnd, StatusBoundResult } from '../contract.ts';
import type { PgSession } from './connection.ts';
import { runFollowUps } from './follow-ups.ts';
import { lockRuns, runPipelineFollowUps } from './pipeline-follow-ups.ts';
import { deleteTaskRows } from './purge.ts';
import { type TaskRow, toTask } from './rows.ts';

/** The history entry of a change `row` just went through (its `seq` counts it already). */
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

/** The row an UPDATE … RETURNING must have produced: the task is locked by this transaction. */
function changed(row: TaskRow | undefined, id: string): TaskRow {
  if (row === undefined) throw new Error(`task ${id} changed under its own row lock`);
  return row;
}

/** Runs inside a transaction. */
export async function cancelTask(
  s: PgSession,
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
    const row = changed(await s.get<TaskRow>('task-cancel-request', [p.id, p.now]), p.id);
    return { ok: true, task: toTask(row), from, immediate: false };
  }
  if (!canTransition(from, 'cancelled')) {
    return { ok: false, reason: 'illegal_transition', from, to: 'cancelled' };
  }
  const row = changed(await s.get<TaskRow>('task-cancel', [p.id, p.now]), p.id);
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
  s: PgSession,
  p: { now: number; id: string; maxAttempts?: number },
): Promise<ChangeResult> {
  const current = await s.get<TaskRow>('task-lock', [p.id]);
  if (current === undefined) return { ok: false, reason: 'not_found' };
  const from = current.status;
  if (!(RETRYABLE_STATUSES as readonly TaskStatus[]).includes(from)) {
    return { ok: false, reason: 'illegal_transition', from, to: 'queued' };
  }
  assertTransition(from, 'queued', { id: p.id });
  const row = changed(
    await s.get<TaskRow>('task-retry', [p.id, p.now, p.maxAttempts ?? null]),
    p.id,
  );
  await addHistory(s, p.now, row, from, 'retried');
  return { ok: true, task: toTask(row), from };
}

/** Runs inside a transaction. */
export async function setTaskPriority(
  s: PgSession,
  p: { now: number; id: string; priority: number },
): Promise<StatusBoundResult<{ task: Task }>> {
  const current = await s.get<TaskRow>('task-lock', [p.id]);
  if (current === undefined) return { ok: false, reason: 'not_found' };
  if (!PRIORITY_CHANGE_STATUSES.includes(current.status)) {
    return { ok: false, reason: 'wrong_status', status: current.status };
  }
  const row = changed(await s.get<TaskRow>('task-set-priority', [p.id, p.now, p.priority]), p.id);
  return { ok: true, task: toTask(row) };
}

/** Runs inside a transaction. */
export async function deleteTask(
  s: PgSession,
  p: { id: string },
): Promise<StatusBoundResult<{ artifactPaths: string[] }>> {
  const current = await s.get<TaskRow>('task-lock', [p.id]);
  if (current === undefined) return { ok: false, reason: 'not_found' };
  if (!isTerminal(current.status)) {
    return { ok: false, reason: 'wrong_status', status: current.status };
  }
  return { ok: true, artifactPaths: await deleteTaskRows(s, [p.id]) };
}
