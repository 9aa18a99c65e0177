/**
 * A pipeline run's follow-ups on MySQL/MariaDB, inside the transaction that changed its tasks
 * (src/store/pipeline-contract.ts): record the first failure and, with `failFast`, cancel what
 * has not finished; give free places to held tasks; end the run once its last task has ended.
 *
 * Every transaction that changes a run's tasks locks the run first (`lockRuns`, in id order)
 * and its tasks after. Under READ COMMITTED each statement below then reads what the
 * transactions that held the run before committed: two settlements of a run's last two tasks
 * cannot both find the other still open, nor both end the run. MySQL has no RETURNING: the
 * tasks a statement moves are first read and locked (with their history entry numbers), then
 * moved by id, and their history entries written from what was read.
 */
import type { TaskErrorInfo } from '../../core/task.ts';
import type { RunEnd, StoredRun } from '../pipeline-contract.ts';
import {
  endStatus,
  FAIL_FAST_REASON,
  failureOf,
  PLACE_REASON,
  type RunChange,
  type RunRowOf,
  runError,
  runFromRow,
  runsOf,
} from '../pipeline-rows.ts';
import type { MySession } from './connection.ts';
import { type MyForms, read } from './rows.ts';

/** The runs a transaction locked, as they were when it locked them. */
export type LockedRuns = ReadonlyMap<string, StoredRun>;

/** A task a statement is about to move, as read under its lock. */
export interface MovedTask {
  id: string;
  seq: number;
}

/** Lock the runs (each once, in id order) until the transaction ends; returns them. */
export async function lockRuns(s: MySession, ids: readonly string[]): Promise<LockedRuns> {
  const sorted = [...new Set(ids)].sort();
  if (sorted.length === 0) return new Map();
  const rows = await s.all<RunRowOf<MyForms>>('run-lock', [JSON.stringify(sorted)]);
  return new Map(rows.map((r) => [r.id, runFromRow(r, read)]));
}

export async function getRun(s: MySession, id: string): Promise<StoredRun | null> {
  const row = await s.get<RunRowOf<MyForms>>('run-get', [id]);
  return row === undefined ? null : runFromRow(row, read);
}

/** Write the history entries of tasks just moved by one statement (each moved from its `from`
 * status, its entry number one past the one read before the move). */
export async function recordMoves(
  s: MySession,
  now: number,
  moved: readonly (MovedTask & { from: string })[],
  to: string,
  reason: string,
): Promise<void> {
  if (moved.length === 0) return;
  // No worker id: the element is left out (NULL ON EMPTY on both servers) rather than a JSON null.
  const entries = moved.map((t) => [t.id, t.seq + 1, t.from, to, reason]);
  await s.run('history-insert-many', [now, JSON.stringify(entries)]);
}

export const idsOf = (tasks: readonly { id: string }[]) => JSON.stringify(tasks.map((t) => t.id));

/** Cancel every task of the run that has not ended; a running one is asked to stop. */
export async function cancelOpenTasks(
  s: MySession,
  now: number,
  runId: string,
  reason: string,
): Promise<void> {
  const open = await s.all<MovedTask & { status: string }>('run-open-tasks', [runId]);
  if (open.length > 0) {
    await s.run('run-tasks-cancel', [idsOf(open), now, now]);
    const moved = open.map((t) => ({ id: t.id, seq: t.seq, from: t.status }));
    await recordMoves(s, now, moved, 'cancelled', reason);
  }
  await s.run('run-tasks-cancel-request', [now, runId]);
}

/** Give the free places of the run (sequential) or of its bounded map steps to held tasks;
 * returns how many were released. */
export async function fillPlaces(s: MySession, now: number, run: StoredRun): Promise<number> {
  const scopes: [string | null, number][] =
    run.mode === 'sequential' ? [[null, 1]] : Object.entries(run.limits);
  let released = 0;
  for (const [step, limit] of scopes) {
    const active = (await s.get<{ n: number }>('run-active', [run.id, step, step]))?.n ?? 0;
    if (active >= limit) continue;
    const ready = await s.all<MovedTask>('run-held-ready', [run.id, step, step, limit - active]);
    if (ready.length === 0) continue;
    await s.run('run-release-held', [idsOf(ready), now, now]);
    const moved = ready.map((t) => ({ ...t, from: 'pending' }));
    await recordMoves(s, now, moved, 'queued', PLACE_REASON);
    released += ready.length;
  }
  return released;
}

/** End the run if its last task has ended; returns how it ended. */
export async function endIfDone(s: MySession, now: number, run: StoredRun): Promise<RunEnd | null> {
  if (Number((await s.get<{ is_open: number }>('run-open', [run.id]))?.is_open ?? 1) !== 0) {
    return null;
  }
  const failed =
    Number((await s.get<{ failed: number }>('run-failed-any', [run.id]))?.failed) === 1;
  const status = endStatus(run, failed);
  const ended = await s.run('run-end', [status, now, now, run.id]);
  return ended.affectedRows === 1 ? { runId: run.id, pipeline: run.pipeline, status } : null;
}

/** Runs inside the transaction that made `changes`, after the task follow-ups; the caller locked
 * the runs (lockRuns, `locked`) before it changed their tasks. Returns the runs that ended and
 * how many held tasks took a free place. */
export async function runPipelineFollowUps(
  s: MySession,
  now: number,
  changes: readonly RunChange[],
  locked: LockedRuns,
): Promise<{ ended: RunEnd[]; released: number }> {
  const ended: RunEnd[] = [];
  let released = 0;
  for (const runId of runsOf(changes)) {
    const run = locked.get(runId) ?? (await getRun(s, runId));
    if (run === null || run.endedAt !== null) continue;
    const failure = failureOf(changes, runId);
    if (failure !== undefined) {
      const row = await s.get<{ step: string | null; error: MyForms['json'] | null }>(
        'task-error',
        [failure.id],
      );
      const error = read.json<TaskErrorInfo>(row?.error ?? null);
      const recorded = runError(failure.id, row?.step ?? null, error);
      await s.run('run-set-error', [JSON.stringify(recorded), now, runId]);
      if (run.onFailure === 'failFast') {
        await cancelOpenTasks(s, now, runId, FAIL_FAST_REASON(recorded.step));
      }
    }
    released += await fillPlaces(s, now, run);
    const end = await endIfDone(s, now, run);
    if (end !== null) ended.push(end);
  }
  return { ended, released };
}
