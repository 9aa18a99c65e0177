/**
 * The pipeline methods of the Store on PostgreSQL (src/store/pipeline-contract.ts). Reads run
 * on the pool; a change runs in one transaction that locks its run before any of its tasks
 * (pipeline-follow-ups.ts says why).
 */
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
import type { PgConnection, PgSession } from './connection.ts';
import { insertTasks } from './insert.ts';
import { cancelOpenTasks, endIfDone, fillPlaces, getRun, lockRuns } from './pipeline-follow-ups.ts';
import { type PgForms, read, type TaskRow } from './rows.ts';

const json = (v: unknown) => JSON.stringify(v ?? null);

/** The run as it is now, which the caller knows exists (it holds its lock). */
async function mustGetRun(s: PgSession, id: string): Promise<StoredRun> {
  const run = await getRun(s, id);
  if (run === null) throw new Error(`pipeline run ${id} vanished under its own lock`);
  return run;
}

export function startRuns(conn: PgConnection, p: StoreParams<'pipelineRunStart'>): Promise<void> {
  return conn.transaction(async (s) => {
    for (const { run, tasks } of p.runs) {
      // A new row: locked by this insert until the transaction ends.
      const inserted = await s.all('run-insert', [
        p.now,
        run.id,
        run.pipeline,
        json(run.input),
        run.mode,
        run.onFailure,
        json(run.limits),
        run.batch?.id ?? null,
        run.batch?.index ?? null,
      ]);
      if (inserted.length === 0) continue;
      const result = await insertTasks(s, p.now, tasks);
      if (!result.ok) {
        throw new Error(`pipeline run ${run.id}: its tasks were refused (${result.reason})`);
      }
      await fillPlaces(s, p.now, await mustGetRun(s, run.id));
    }
  });
}

export async function getRunDetail(conn: PgConnection, id: string, runOnly = false) {
  const s = conn.session();
  const run = await getRun(s, id);
  if (run === null) return null;
  if (runOnly) return { run, steps: [], items: [] };
  const steps = (await s.all<StepRowOf<PgForms>>('run-steps', [id])).map((r) =>
    stepFromRow(r, read),
  );
  const items = await s.all<ItemCount>('run-item-counts', [id]);
  return { run, steps, items };
}

export async function listRuns(conn: PgConnection, p: StoreParams<'pipelineRunList'>) {
  const rows = await conn
    .session()
    .all<RunRowOf<PgForms>>('run-list', [
      p.pipeline ?? null,
      p.status ?? null,
      p.batchId ?? null,
      p.cursor ?? null,
      p.limit + 1,
    ]);
  const more = rows.length > p.limit;
  const runs = rows.slice(0, p.limit).map((r) => runFromRow(r, read));
  return { runs, nextCursor: more ? (runs[runs.length - 1]?.id ?? null) : null };
}

export async function runOutputs(conn: PgConnection, p: StoreParams<'pipelineRunOutputs'>) {
  const out = new Map<string, Record<string, unknown>>(p.ids.map((id) => [id, {}]));
  const rows = await conn
    .session()
    .all<{ run_id: string; step: string; output: unknown }>('run-leaf-outputs', [p.ids, p.steps]);
  for (const r of rows) {
    const outputs = out.get(r.run_id);
    if (outputs) outputs[r.step] = r.output ?? null;
  }
  return out;
}

export function cancelRun(
  conn: PgConnection,
  p: StoreParams<'pipelineRunCancel'>,
): Promise<RunChangeResult> {
  return conn.transaction(async (s): Promise<RunChangeResult> => {
    const run = (await lockRuns(s, [p.id])).get(p.id) ?? null;
    if (run === null) return { ok: false, reason: 'not_found' };
    if (run.endedAt !== null) return { ok: false, reason: 'wrong_status', status: run.status };
    await s.all('run-cancel-flag', [p.now, p.id]);
    await cancelOpenTasks(s, p.now, p.id, p.reason);
    const ended = await endIfDone(s, p.now, { ...run, cancelRequested: true });
    return { ok: true, run: await mustGetRun(s, p.id), ended };
  });
}

export function resumeRun(
  conn: PgConnection,
  p: StoreParams<'pipelineRunResume'>,
): Promise<RunChangeResult> {
  return conn.transaction(async (s): Promise<RunChangeResult> => {
    const run = (await lockRuns(s, [p.id])).get(p.id) ?? null;
    if (run === null) return { ok: false, reason: 'not_found' };
    if (run.status !== 'failed' && run.status !== 'cancelled') {
      return { ok: false, reason: 'wrong_status', status: run.status };
    }
    await s.all('run-resume-reset', [
      p.now,
      p.id,
      run.mode === 'sequential',
      Object.keys(run.limits),
      RESUME_REASON,
    ]);
    await s.all('run-resume-count', [p.id]);
    await s.all('run-resume-queue', [p.now, p.id, RESUME_REASON]);
    await s.all('run-reopen', [p.now, p.id]);
    const reopened = await mustGetRun(s, p.id);
    await fillPlaces(s, p.now, reopened);
    // Nothing to run again (every task completed or was skipped): it ends at once.
    const ended = await endIfDone(s, p.now, reopened);
    return { ok: true, run: await mustGetRun(s, p.id), ended };
  });
}

export async function stepContext(
  conn: PgConnection,
  p: StoreParams<'pipelineStepContext'>,
): Promise<StepContextRows | null> {
  const s = conn.session();
  const row = await s.get<{
    run: RunRowOf<PgForms>;
    parents: { step: string; status: TaskStatus; output: unknown }[];
  }>('step-context', [p.runId, p.parents]);
  if (row === undefined) return null;
  const run = runFromRow(row.run, read);
  const parents = row.parents.map((r) => ({ step: r.step, status: r.status, output: r.output }));
  const items = p.items
    ? (
        await s.all<{ map_index: number; status: TaskStatus; output: unknown }>('step-items', [
          run.id,
          p.step,
        ])
      ).map((r) => ({ index: r.map_index, status: r.status, output: r.output ?? null }))
    : null;
  return { run, parents, items };
}

export async function beginStep(conn: PgConnection, p: StoreParams<'pipelineStepBegin'>) {
  const rows = await conn
    .session()
    .all('step-begin', [p.now, p.id, p.token, json(p.input), p.cacheKey]);
  return { ok: rows.length === 1 };
}

export async function findCached(conn: PgConnection, p: StoreParams<'pipelineCacheFind'>) {
  const row = await conn
    .session()
    .get<{ id: string; output: unknown }>('cache-find', [p.key, p.since]);
  return row === undefined ? null : { taskId: row.id, output: row.output ?? null };
}

export function expandMap(
  conn: PgConnection,
  p: StoreParams<'pipelineMapExpand'>,
): Promise<{ ok: boolean }> {
  return conn.transaction(async (s) => {
    // The run is locked before the step's row; its id is on the items, or read from the step.
    const runId =
      p.items[0]?.pipeline?.runId ?? (await s.get<TaskRow>('task-get', [p.id]))?.run_id ?? null;
    if (runId !== null) await lockRuns(s, [runId]);
    const reason = `fanned out into ${p.items.length} items`;
    const head = await s.get<{ id: string }>('map-expand-head', [
      p.now,
      p.id,
      p.token,
      p.items.length,
      reason,
    ]);
    if (head === undefined) return { ok: false };
    // Each item has one dependent, its step: counted in the insert, not updated after it.
    const result = await insertTasks(s, p.now, p.items, 1);
    if (!result.ok) throw new Error(`map step ${p.id}: its items were refused (${result.reason})`);
    const ids = p.items.map((t) => t.id);
    if (ids.length > 0) await s.all('dependency-insert-many', [ids.map(() => p.id), ids]);
    const run = runId === null ? null : await getRun(s, runId);
    if (run !== null) await fillPlaces(s, p.now, run);
    return { ok: true };
  });
}
