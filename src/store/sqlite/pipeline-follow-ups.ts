/**
 * A pipeline run's follow-ups on SQLite, inside the write transaction that changed its tasks
 * (src/store/pipeline-contract.ts): record the first failure and, with `failFast`, cancel what
 * has not finished; give free places to held tasks; end the run once its last task has ended.
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
import type { SqliteConnection } from './connection.ts';
import { read, type SqliteForms } from './rows.ts';

export function getRun(conn: SqliteConnection, id: string): StoredRun | null {
  const row = conn.get<RunRowOf<SqliteForms>>('run-get', id);
  return row === undefined ? null : runFromRow(row, read);
}

function history(
  conn: SqliteConnection,
  now: number,
  rows: readonly { id: string; seq: number; from: string }[],
  to: string,
  reason: string,
): void {
  if (rows.length === 0) return;
  const entries = rows.map((r) => [r.id, r.seq, r.from, to, reason, null]);
  conn.run('history-insert-many', now, JSON.stringify(entries));
}

/** Cancel every task of the run that has not ended; a running one is asked to stop. */
export function cancelOpenTasks(
  conn: SqliteConnection,
  now: number,
  runId: string,
  reason: string,
): void {
  const before = new Map(
    conn.all<{ id: string; status: string }>('run-open-tasks', runId).map((r) => [r.id, r.status]),
  );
  const cancelled = conn.all<{ id: string; seq: number }>('run-tasks-cancel', now, runId);
  const rows = cancelled.map((r) => ({ ...r, from: before.get(r.id) ?? 'pending' }));
  history(conn, now, rows, 'cancelled', reason);
  conn.run('run-tasks-cancel-request', now, runId);
}

/** Give the free places of the run (sequential) or of its bounded map steps to held tasks. */
export function fillPlaces(conn: SqliteConnection, now: number, run: StoredRun): void {
  const scopes: [string | null, number][] =
    run.mode === 'sequential' ? [[null, 1]] : Object.entries(run.limits);
  for (const [step, limit] of scopes) {
    const active = conn.get<{ n: number }>('run-active', run.id, step)?.n ?? 0;
    if (active >= limit) continue;
    const released = conn.all<{ id: string; seq: number }>(
      'run-release-held',
      now,
      run.id,
      step,
      limit - active,
    );
    history(
      conn,
      now,
      released.map((r) => ({ ...r, from: 'pending' })),
      'queued',
      PLACE_REASON,
    );
  }
}

/** End the run if its last task has ended; returns how it ended. */
export function endIfDone(conn: SqliteConnection, now: number, run: StoredRun): RunEnd | null {
  if (conn.get<{ open: number }>('run-open', run.id)?.open !== 0) return null;
  const failed = conn.get<{ failed: number }>('run-failed-any', run.id)?.failed === 1;
  const status = endStatus(run, failed);
  const { changes } = conn.run('run-end', now, run.id, status);
  return changes === 1 ? { runId: run.id, pipeline: run.pipeline, status } : null;
}

/** Runs inside the write transaction that made `changes` (after the task follow-ups). */
export function runPipelineFollowUps(
  conn: SqliteConnection,
  now: number,
  changes: readonly RunChange[],
): RunEnd[] {
  const ended: RunEnd[] = [];
  for (const runId of runsOf(changes)) {
    const run = getRun(conn, runId);
    if (run === null || run.endedAt !== null) continue;
    const failure = failureOf(changes, runId);
    if (failure !== undefined) {
      const row = conn.get<{ step: string | null; error: string | null }>('task-error', failure.id);
      const error = row?.error ? (JSON.parse(row.error) as TaskErrorInfo) : null;
      const recorded = runError(failure.id, row?.step ?? null, error);
      conn.run('run-set-error', now, runId, JSON.stringify(recorded));
      if (run.onFailure === 'failFast') {
        cancelOpenTasks(conn, now, runId, FAIL_FAST_REASON(recorded.step));
      }
    }
    fillPlaces(conn, now, run);
    const end = endIfDone(conn, now, run);
    if (end !== null) ended.push(end);
  }
  return ended;
}
