/**
 * A pipeline run's follow-ups on PostgreSQL, inside the transaction that changed its tasks
 * (src/store/pipeline-contract.ts): record the first failure and, with `failFast`, cancel what
 * has not finished; give free places to held tasks; end the run once its last task has ended.
 *
 * Every transaction that changes a run's tasks locks the run first (`lockRuns`, in id order)
 * and its tasks after. Under READ COMMITTED each statement below then reads what the
 * transactions that held the run before committed: two settlements of a run's last two tasks
 * cannot both find the other still open, nor both end the run.
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
import type { PgSession } from './connection.ts';
import { type PgForms, read } from './rows.ts';

/** The runs a transaction locked, as they were when it locked them. */
export type LockedRuns = ReadonlyMap<string, StoredRun>;

/** Lock the runs (each once, in id order) until the transaction ends; returns them. */
export async function lockRuns(s: PgSession, ids: readonly string[]): Promise<LockedRuns> {
  const sorted = [...new Set(ids)].sort();
  if (sorted.length === 0) return new Map();
  const rows = await s.all<RunRowOf<PgForms>>('run-lock', [sorted]);
  return new Map(rows.map((r) => [r.id, runFromRow(r, read)]));
}

export async function getRun(s: PgSession, id: string): Promise<StoredRun | null> {
  const row = await s.get<RunRowOf<PgForms>>('run-get', [id]);
  return row === undefined ? null : runFromRow(row, read);
}

/** Cancel every task of the run that has not ended; a running one is asked to stop. */
export async function cancelOpenTasks(
  s: PgSession,
  now: number,
  runId: string,
  reason: string,
): Promise<void> {
  await s.all('run-tasks-cancel', [now, runId, reason]);
  await s.all('run-tasks-cancel-request', [now, runId]);
}

/** Give the free places of the run (sequential) or of its bounded map steps to held tasks;
 * returns how many were released. */
export async function fillPlaces(s: PgSession, now: number, run: StoredRun): Promise<number> {
  const scopes: [string | null, number][] =
    run.mode === 'sequential' ? [[null, 1]] : Object.entries(run.limits);
  let released = 0;
  for (const [step, limit] of scopes) {
    const active = (await s.get<{ n: number }>('run-active', [run.id, step]))?.n ?? 0;
    if (active >= limit) continue;
    const rows = await s.all('run-release-held', [now, run.id, step, limit - active, PLACE_REASON]);
    released += rows.length;
  }
  return released;
}

/** End the run if its last task has ended; returns how it ended. */
export async function endIfDone(s: PgSession, now: number, run: StoredRun): Promise<RunEnd | null> {
  if ((await s.get<{ open: boolean }>('run-open', [run.id]))?.open !== false) return null;
  const failed = (await s.get<{ failed: boolean }>('run-failed-any', [run.id]))?.failed === true;
  const status = endStatus(run, failed);
  const ended = await s.all('run-end', [now, run.id, status]);
  return ended.length === 1 ? { runId: run.id, pipeline: run.pipeline, status } : null;
}

/** Runs inside the transaction that made `changes`, after the task follow-ups; the caller locked
 * the runs (lockRuns, `locked`) before it changed their tasks. Returns the runs that ended and
 * how many held tasks took a free place. */
export async function runPipelineFollowUps(
  s: PgSession,
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
      const row = await s.get<{ step: string | null; error: TaskErrorInfo | null }>('task-error', [
        failure.id,
      ]);
      const recorded = runError(failure.id, row?.step ?? null, row?.error ?? null);
      await s.all('run-set-error', [now, runId, JSON.stringify(recorded)]);
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
