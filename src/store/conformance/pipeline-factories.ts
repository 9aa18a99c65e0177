/**
 * Builders for the pipeline conformance tests (pipelines.ts, pipeline-failures.ts): runs and
 * their steps' tasks, started, claimed and settled through the contract.
 */
import { expect } from 'vitest';
import { uuidv7 } from '../../core/ids.ts';
import type { NewTask } from '../../core/new-task.ts';
import type { TaskStatus } from '../../core/status.ts';
import type { ClaimedTask, NewRun, Settlement, SettleResult } from '../contract.ts';
import type { ConformanceContext } from './context.ts';
import {
  claim,
  claimedIds,
  newTask,
  SAMPLE_ERROR,
  settlementFor,
  sorted,
  T0,
  WORKER_A,
} from './factories.ts';

export type Settled = Extract<SettleResult, { ok: true }>;

export function newRun(overrides: Partial<NewRun> = {}): NewRun {
  return {
    id: uuidv7(),
    pipeline: 'etl',
    input: { day: '2026-01-01' },
    mode: 'parallel',
    onFailure: 'failFast',
    limits: {},
    batch: null,
    ...overrides,
  };
}

/** A step's own task; a held one, or one waiting on others, starts pending. */
export function stepTask(
  run: NewRun,
  step: string,
  order: number,
  dependsOn: string[] = [],
  held = run.mode === 'sequential',
): NewTask {
  return newTask({
    status: held ? 'pending' : 'queued',
    ...(dependsOn.length > 0 ? { dependsOn } : {}),
    pipeline: { runId: run.id, step, item: null, order, held },
  });
}

export const byId = (claimed: ClaimedTask[], id: string) =>
  claimed.find((c) => c.task.id === id) as ClaimedTask;

/** The helpers that need the current test's store. */
export function pipelineHelpers(ctx: ConformanceContext) {
  /** a → b, a → c, b + c → d. */
  async function startDiamond(overrides: Partial<NewRun> = {}) {
    const run = newRun(overrides);
    const a = stepTask(run, 'a', 0);
    const b = stepTask(run, 'b', 1, [a.id]);
    const c = stepTask(run, 'c', 2, [a.id]);
    const d = stepTask(run, 'd', 3, [b.id, c.id]);
    await ctx.store.pipelineRunStart({ now: T0, runs: [{ run, tasks: [a, b, c, d] }] });
    return { run, a: a.id, b: b.id, c: c.id, d: d.id };
  }

  /** Each step's own task's status, by step. */
  async function statuses(runId: string): Promise<Record<string, TaskStatus>> {
    const detail = await ctx.store.pipelineRunGet({ id: runId });
    return Object.fromEntries((detail?.steps ?? []).map((s) => [s.step, s.status]));
  }

  async function claimExactly(ids: string[], now: number, limit = 100): Promise<ClaimedTask[]> {
    const claimed = await claim(ctx.store, { now, limit });
    expect(sorted(claimedIds(claimed))).toEqual(sorted(ids));
    return claimed;
  }

  async function settle(now: number, item: Settlement): Promise<Settled> {
    const [result] = await ctx.store.taskSettle({ now, workerId: WORKER_A, items: [item] });
    if (result?.ok !== true) throw new Error(`settling ${item.id} was refused`);
    return result;
  }

  const withRun = (c: ClaimedTask) => {
    const runId = c.task.pipeline?.runId;
    return runId === undefined ? {} : { runId };
  };

  /** Settle as the worker of a step does: with the step's run. */
  const end = (c: ClaimedTask, now: number, overrides: Partial<Settlement>) =>
    settle(now, settlementFor(c, { ...withRun(c), ...overrides }));
  const complete = (c: ClaimedTask, now: number, output: unknown = { step: c.task.id }) =>
    end(c, now, { output });
  const fail = (c: ClaimedTask, now: number) =>
    end(c, now, { to: 'failed', outcome: 'failed', error: SAMPLE_ERROR, reason: 'failed' });

  return { startDiamond, statuses, claimExactly, settle, end, complete, fail };
}
