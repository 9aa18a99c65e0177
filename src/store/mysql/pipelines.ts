/**
 * The pipeline methods of the Store on MySQL/MariaDB (src/store/pipeline-contract.ts). Reads run
 * on the pool; a change runs in one transaction that locks its run before any of its tasks
 * (pipeline-follow-ups.ts says why). MySQL has no RETURNING: a change reads and locks the tasks
 * it moves first, then moves them by id and writes their history entries.
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
import type { MyConnection, MySession } from './connection.ts';
import { insertTasks } from './insert.ts';
import {
  cancelOpenTasks,
  endIfDone,
  fillPlaces,
  getRun,
  idsOf,
  lockRuns,
  type MovedTask,
  recordMoves,
} from './pipeline-follow-ups.ts';
import { type MyForms, read } from './rows.ts';

const json = (v: unknown) => JSON.stringify(v ?? null);
type Json = MyForms['json'];

/** The run as it is now, which the caller knows exists (it holds its lock). */
async function mustGetRun(s: MySession, id: string): Promise<StoredRun> {
  const run = await getRun(s, id);
  if (run === null) throw new Error(`pipeline run ${id} vanished under its own lock`);
  return run;
}

export function startRuns(conn: MyConnection, p: StoreParams<'pipelineRunStart'>): Promise<void> {
  return conn.transaction(async (s) => {
    for (const { run, tasks } of p.runs) {
      // A new row: locked by this insert until the transaction ends.
      const inserted = await s.run('run-insert', [
        run.id,
        run.pipeline,
        json(run.input),
        run.mode,
        run.onFailure,
        json(run.limits),
        run.batch?.id ?? null,
        run.batch?.index ?? null,
        p.now,
        p.now,
      ]);
      if (inserted.affectedRows === 0) continue;
      const result = await insertTasks(s, p.now, tasks);
      if (!result.ok) {
        throw new Error(`pipeline run ${run.id}: its tasks were refused (${result.reason})`);
      }
      await fillPlaces(s, p.now, await mustGetRun(s, run.id));
    }
  });
}

export async function getRunDetail(conn: MyConnection, id: string, runOnly = false) {
  const s = conn.direct;
  const run = await getRun(s, id);
  if (run === null) return null;
  if (runOnly) return { run, steps: [], items: [] };
  const steps = (await s.all<StepRowOf<MyForms>>('run-steps', [id])).map((r) =>
    stepFromRow(r, read),
  );
  const items = (await s.all<ItemCount>('run-item-counts', [id])).map((r) => ({
    step: r.step,
    status: r.status,
    count: Number(r.count),
  }));
  return { run, steps, items };
}

export async function listRuns(conn: MyConnection, p: StoreParams<'pipelineRunList'>) {
  const twice = (v: string | null) => [v, v];
  const s = conn.direct;
  const rows = await s.all<RunRowOf<MyForms>>('run-list', [
    ...twice(p.pipeline ?? null),
    ...twice(p.status ?? null),
    ...twice(p.batchId ?? null),
    ...twice(p.cursor ?? null),
    p.limit + 1,
  ]);
  const more = rows.length > p.limit;
  const runs = rows.slice(0, p.limit).map((r) => runFromRow(r, read));
  return { runs, nextCursor: more ? (runs[runs.length - 1]?.id ?? null) : null };
}

export async function runOutputs(conn: MyConnection, p: StoreParams<'pipelineRunOutputs'>) {
  const out = new Map<string, Record<string, unknown>>(p.ids.map((id) => [id, {}]));
  if (p.ids.length === 0 || p.steps.length === 0) return out;
  const s = conn.direct;
  const rows = await s.all<{ run_id: string; step: string; output: Json | null }>(
    'run-leaf-outputs',
    [JSON.stringify(p.ids), JSON.stringify(p.steps)],
  );
  for (const r of rows) {
    const outputs = out.get(r.run_id);
    if (outputs) outputs[r.step] = read.json(r.output);
  }
  return out;
}

export function cancelRun(
  conn: MyConnection,
  p: StoreParams<'pipelineRunCancel'>,
): Promise<RunChangeResult> {
  return conn.transaction(async (s): Promise<RunChangeResult> => {
    const run = (await lockRuns(s, [p.id])).get(p.id) ?? null;
    if (run === null) return { ok: false, reason: 'not_found' };
    if (run.endedAt !== null) return { ok: false, reason: 'wrong_status', status: run.status };
    await s.run('run-cancel-flag', [p.now, p.id]);
    await cancelOpenTasks(s, p.now, p.id, p.reason);
    const ended = await endIfDone(s, p.now, { ...run, cancelRequested: true });
    return { ok: true, run: await mustGetRun(s, p.id), ended };
  });
}

/** The run's tasks that ended without completing start a new attempt series, pending; each
 * ended attempt moves from its row to executions first (as in task-retry). */
async function resetEnded(s: MySession, now: number, run: StoredRun): Promise<void> {
  const ended = await s.all<MovedTask & { status: TaskStatus }>('run-ended-tasks', [run.id]);
  if (ended.length === 0) return;
  const ids = idsOf(ended);
  await s.run('run-resume-move', [ids]);
  await s.run('run-resume-reset', [
    ids,
    run.mode === 'sequential' ? 1 : 0,
    JSON.stringify(Object.keys(run.limits)),
    now,
    now,
  ]);
  const moved = ended.map((t) => ({ id: t.id, seq: t.seq, from: t.status }));
  await recordMoves(s, now, moved, 'pending', RESUME_REASON);
}

export function resumeRun(
  conn: MyConnection,
  p: StoreParams<'pipelineRunResume'>,
): Promise<RunChangeResult> {
  return conn.transaction(async (s): Promise<RunChangeResult> => {
    const run = (await lockRuns(s, [p.id])).get(p.id) ?? null;
    if (run === null) return { ok: false, reason: 'not_found' };
    if (run.status !== 'failed' && run.status !== 'cancelled') {
      return { ok: false, reason: 'wrong_status', status: run.status };
    }
    await resetEnded(s, p.now, run);
    await s.run('run-resume-count', [p.id, p.id]);
    const ready = await s.all<MovedTask>('run-resume-ready', [p.id]);
    if (ready.length > 0) {
      await s.run('run-resume-queue', [idsOf(ready), p.now]);
      const moved = ready.map((t) => ({ ...t, from: 'pending' }));
      await recordMoves(s, p.now, moved, 'queued', RESUME_REASON);
    }
    await s.run('run-reopen', [p.now, p.id]);
    const reopened = await mustGetRun(s, p.id);
    await fillPlaces(s, p.now, reopened);
    // Nothing to run again (every task completed or was skipped): it ends at once.
    const ended = await endIfDone(s, p.now, reopened);
    return { ok: true, run: await mustGetRun(s, p.id), ended };
  });
}

export async function stepContext(
  conn: MyConnection,
  p: StoreParams<'pipelineStepContext'>,
): Promise<StepContextRows | null> {
  const s = conn.direct;
  const run = await getRun(s, p.runId);
  if (run === null) return null;
  const parents =
    p.parents.length === 0
      ? []
      : (
          await s.all<{ step: string; status: TaskStatus; output: Json | null }>('step-parents', [
            run.id,
            JSON.stringify(p.parents),
          ])
        ).map((r) => ({ step: r.step, status: r.status, output: read.json(r.output) }));
  const items = p.items
    ? (
        await s.all<{ map_index: number; status: TaskStatus; output: Json | null }>('step-items', [
          run.id,
          p.step,
        ])
      ).map((r) => ({ index: r.map_index, status: r.status, output: read.json(r.output) }))
    : null;
  return { run, parents, items };
}

export async function beginStep(conn: MyConnection, p: StoreParams<'pipelineStepBegin'>) {
  const s = conn.direct;
  const { affectedRows } = await s.run('step-begin', [
    json(p.input),
    p.cacheKey,
    p.now,
    p.id,
    p.token,
  ]);
  return { ok: affectedRows === 1 };
}

export async function findCached(conn: MyConnection, p: StoreParams<'pipelineCacheFind'>) {
  const s = conn.direct;
  const row = await s.get<{ id: string; output: Json | null }>('cache-find', [p.key, p.since]);
  return row === undefined ? null : { taskId: row.id, output: read.json(row.output) };
}

export function expandMap(
  conn: MyConnection,
  p: StoreParams<'pipelineMapExpand'>,
): Promise<{ ok: boolean }> {
  return conn.transaction(async (s) => {
    // The run is locked before the step's row; its id is on the items, or read from the step.
    const runId =
      p.items[0]?.pipeline?.runId ??
      (await s.get<{ run_id: string | null }>('run-task-run-id', [p.id]))?.run_id ??
      null;
    if (runId !== null) await lockRuns(s, [runId]);
    const head = await s.get<MovedTask>('map-expand-lock', [p.id, p.token]);
    if (head === undefined) return { ok: false };
    await s.run('map-expand-head', [p.items.length, p.now, p.id]);
    const reason = `fanned out into ${p.items.length} items`;
    await recordMoves(s, p.now, [{ ...head, from: 'running' }], 'pending', reason);
    // Each item has one dependent, its step: counted in the insert, not updated after it.
    const result = await insertTasks(s, p.now, p.items, 1);
    if (!result.ok) throw new Error(`map step ${p.id}: its items were refused (${result.reason})`);
    const ids = p.items.map((t) => t.id);
    if (ids.length > 0) {
      await s.run('dependency-insert-many', [JSON.stringify(ids.map((item) => [p.id, item]))]);
    }
    const run = runId === null ? null : await getRun(s, runId);
    if (run !== null) await fillPlaces(s, p.now, run);
    return { ok: true };
  });
}
