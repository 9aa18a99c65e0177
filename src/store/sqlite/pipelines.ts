/** The pipeline methods of the Store on SQLite (src/store/pipeline-contract.ts); each runs in
 * the caller's read or write transaction. */
import type { TaskStatus } from '../../core/status.ts';
import type { StoreParams } from '../contract.ts';
import type {
  ItemCount,
  RunChangeResult,
  StepContextRows,
  StoredRun,
} from '../pipeline-contract.ts';
import {
  RESUME_REASON,
  type RunRowOf,
  runFromRow,
  type StepRowOf,
  stepFromRow,
} from '../pipeline-rows.ts';
import type { SqliteConnection } from './connection.ts';
import { insertTasks } from './insert.ts';
import { cancelOpenTasks, endIfDone, fillPlaces, getRun } from './pipeline-follow-ups.ts';
import { read, type SqliteForms } from './rows.ts';

const json = (v: unknown) => JSON.stringify(v ?? null);
const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

export function startRuns(conn: SqliteConnection, p: StoreParams<'pipelineRunStart'>): void {
  for (const { run, tasks } of p.runs) {
    const { changes } = conn.run(
      'run-insert',
      p.now,
      run.id,
      run.pipeline,
      json(run.input),
      run.mode,
      run.onFailure,
      json(run.limits),
      run.batch?.id ?? null,
      run.batch?.index ?? null,
    );
    if (changes === 0) continue;
    const result = insertTasks(conn, p.now, tasks);
    if (!result.ok)
      throw new Error(`pipeline run ${run.id}: its tasks were refused (${result.reason})`);
    fillPlaces(conn, p.now, getRun(conn, run.id) as StoredRun);
  }
}

export function getRunDetail(conn: SqliteConnection, id: string, runOnly = false) {
  const run = getRun(conn, id);
  if (run === null) return null;
  if (runOnly) return { run, steps: [], items: [] };
  const steps = conn.all<StepRowOf<SqliteForms>>('run-steps', id).map((r) => stepFromRow(r, read));
  const items = conn.all<ItemCount>('run-item-counts', id);
  return { run, steps, items };
}

export function listRuns(conn: SqliteConnection, p: StoreParams<'pipelineRunList'>) {
  const rows = conn.all<RunRowOf<SqliteForms>>(
    'run-list',
    p.pipeline ?? null,
    p.status ?? null,
    p.batchId ?? null,
    p.cursor ?? null,
    p.limit + 1,
  );
  const more = rows.length > p.limit;
  const runs = rows.slice(0, p.limit).map((r) => runFromRow(r, read));
  return { runs, nextCursor: more ? (runs[runs.length - 1]?.id ?? null) : null };
}

export function runOutputs(conn: SqliteConnection, p: StoreParams<'pipelineRunOutputs'>) {
  const out = new Map<string, Record<string, unknown>>(p.ids.map((id) => [id, {}]));
  const rows = conn.all<{ run_id: string; step: string; output: string | null }>(
    'run-leaf-outputs',
    JSON.stringify(p.ids),
    JSON.stringify(p.steps),
  );
  for (const r of rows) {
    const outputs = out.get(r.run_id);
    if (outputs) outputs[r.step] = parse(r.output);
  }
  return out;
}

export function cancelRun(
  conn: SqliteConnection,
  p: StoreParams<'pipelineRunCancel'>,
): RunChangeResult {
  const run = getRun(conn, p.id);
  if (run === null) return { ok: false, reason: 'not_found' };
  if (run.endedAt !== null) return { ok: false, reason: 'wrong_status', status: run.status };
  conn.run('run-cancel-flag', p.now, p.id);
  cancelOpenTasks(conn, p.now, p.id, p.reason);
  const flagged = { ...run, cancelRequested: true };
  const ended = endIfDone(conn, p.now, flagged);
  return { ok: true, run: getRun(conn, p.id) as StoredRun, ended };
}

export function resumeRun(
  conn: SqliteConnection,
  p: StoreParams<'pipelineRunResume'>,
): RunChangeResult {
  const run = getRun(conn, p.id);
  if (run === null) return { ok: false, reason: 'not_found' };
  if (run.status !== 'failed' && run.status !== 'cancelled') {
    return { ok: false, reason: 'wrong_status', status: run.status };
  }
  const before = conn.all<{ id: string; status: TaskStatus }>('run-ended-tasks', p.id);
  for (const t of before) conn.run('execution-move', t.id);
  const sequential = run.mode === 'sequential' ? 1 : 0;
  const reset = conn.all<{ id: string; seq: number }>(
    'run-resume-reset',
    p.now,
    p.id,
    sequential,
    JSON.stringify(Object.keys(run.limits)),
  );
  const from = new Map(before.map((t) => [t.id, t.status]));
  const entries: unknown[][] = reset.map((r) => [
    r.id,
    r.seq,
    from.get(r.id),
    'pending',
    RESUME_REASON,
    null,
  ]);
  conn.run('run-resume-count', p.id);
  const queued = conn.all<{ id: string; seq: number }>('run-resume-queue', p.now, p.id);
  for (const r of queued) entries.push([r.id, r.seq, 'pending', 'queued', RESUME_REASON, null]);
  if (entries.length > 0) conn.run('history-insert-many', p.now, JSON.stringify(entries));
  conn.run('run-reopen', p.now, p.id);
  const reopened = getRun(conn, p.id) as StoredRun;
  fillPlaces(conn, p.now, reopened);
  // Nothing to run again (every task completed or was skipped): it ends at once.
  const ended = endIfDone(conn, p.now, reopened);
  return { ok: true, run: getRun(conn, p.id) as StoredRun, ended };
}

export function stepContext(
  conn: SqliteConnection,
  p: StoreParams<'pipelineStepContext'>,
): StepContextRows | null {
  const run = getRun(conn, p.runId);
  if (run === null) return null;
  const parents = conn
    .all<{ step: string; status: TaskStatus; output: string | null }>(
      'step-parents',
      run.id,
      JSON.stringify(p.parents),
    )
    .map((r) => ({ step: r.step, status: r.status, output: parse(r.output) }));
  const items = p.items
    ? conn
        .all<{ map_index: number; status: TaskStatus; output: string | null }>(
          'step-items',
          run.id,
          p.step,
        )
        .map((r) => ({ index: r.map_index, status: r.status, output: parse(r.output) }))
    : null;
  return { run, parents, items };
}

export function beginStep(conn: SqliteConnection, p: StoreParams<'pipelineStepBegin'>) {
  const { changes } = conn.run('step-begin', p.now, p.id, p.token, json(p.input), p.cacheKey);
  return { ok: changes === 1 };
}

export function findCached(conn: SqliteConnection, p: StoreParams<'pipelineCacheFind'>) {
  const row = conn.get<{ id: string; output: string | null }>('cache-find', p.key, p.since);
  return row === undefined ? null : { taskId: row.id, output: parse(row.output) };
}

export function expandMap(
  conn: SqliteConnection,
  p: StoreParams<'pipelineMapExpand'>,
): { ok: boolean } {
  const head = conn.get<{ seq: number }>('map-expand-head', p.now, p.id, p.token, p.items.length);
  if (head === undefined) return { ok: false };
  const result = insertTasks(conn, p.now, p.items);
  if (!result.ok) throw new Error(`map step ${p.id}: its items were refused (${result.reason})`);
  const ids = p.items.map((t) => t.id);
  conn.run('dependency-insert-many', JSON.stringify(ids.map((item) => [p.id, item])));
  conn.run('dependents-add', JSON.stringify(ids.map((item) => [item, 1])));
  const reason = `fanned out into ${ids.length} items`;
  conn.run(
    'history-insert-many',
    p.now,
    JSON.stringify([[p.id, head.seq, 'running', 'pending', reason, null]]),
  );
  const runId = p.items[0]?.pipeline?.runId;
  const run = runId === undefined ? null : getRun(conn, runId);
  if (run !== null) fillPlaces(conn, p.now, run);
  return { ok: true };
}
