import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../core/ids.ts';
import type { ClaimedTask } from '../contract.ts';
import type { ConformanceContext } from './context.ts';
import {
  claim,
  MINUTE,
  mustGet,
  nth,
  SAMPLE_ERROR,
  SECOND,
  settlementFor,
  T0,
} from './factories.ts';
import { byId, newRun, pipelineHelpers, stepTask } from './pipeline-factories.ts';

/**
 * Pipeline runs that fail (failFast, continue), are cancelled or resumed, and what a claimed step
 * reads and keeps (src/store/pipeline-contract.ts).
 */
export function pipelineFailureTests(ctx: ConformanceContext): void {
  const { startDiamond, statuses, claimExactly, settle, complete, fail } = pipelineHelpers(ctx);

  describe('failures', () => {
    it('failFast: cancels what has not started, asks running steps to stop, and ends failed', async () => {
      const run = newRun();
      const p = stepTask(run, 'p', 0);
      const q = stepTask(run, 'q', 1);
      // Not due yet: it stays queued while p and q run.
      const r = { ...stepTask(run, 'r', 2), runAt: T0 + MINUTE };
      const s = stepTask(run, 's', 3, [p.id]);
      await ctx.store.pipelineRunStart({ now: T0, runs: [{ run, tasks: [p, q, r, s] }] });
      const running = await claimExactly([p.id, q.id], T0);
      expect((await fail(byId(running, p.id), T0 + 1)).runEnded).toBeUndefined();
      expect(await statuses(run.id)).toEqual({
        p: 'failed',
        q: 'running',
        r: 'cancelled',
        s: 'failed',
      });
      expect((await mustGet(ctx.store, q.id)).cancelRequested).toBe(true);
      const last = await settle(
        T0 + 2,
        settlementFor(byId(running, q.id), {
          to: 'cancelled',
          outcome: 'cancelled',
          reason: 'asked to stop',
          runId: run.id,
        }),
      );
      expect(last).toMatchObject({ runEnded: { runId: run.id, status: 'failed' } });
      expect((await ctx.store.pipelineRunGet({ id: run.id }))?.run).toMatchObject({
        status: 'failed',
        endedAt: T0 + 2,
        error: { step: 'p', taskId: p.id, code: SAMPLE_ERROR.code, message: SAMPLE_ERROR.message },
      });
    });

    it("continue: ends the failed step's dependents while an independent branch runs on", async () => {
      const run = newRun({ onFailure: 'continue' });
      const a = stepTask(run, 'a', 0);
      const c = stepTask(run, 'c', 1);
      const b = stepTask(run, 'b', 2, [a.id]);
      await ctx.store.pipelineRunStart({ now: T0, runs: [{ run, tasks: [a, c, b] }] });
      const running = await claimExactly([a.id, c.id], T0);
      await fail(byId(running, a.id), T0 + 1);
      const dependent = await mustGet(ctx.store, b.id);
      expect(dependent).toMatchObject({ status: 'failed', error: { code: 'DEPENDENCY_FAILED' } });
      expect((await mustGet(ctx.store, c.id)).cancelRequested).toBe(false);
      const last = await complete(byId(running, c.id), T0 + 2);
      expect(last).toMatchObject({ runEnded: { status: 'failed' } });
      expect((await ctx.store.pipelineRunGet({ id: run.id }))?.run.error?.step).toBe('a');
    });
  });

  describe('pipelineRunCancel and pipelineRunResume', () => {
    it('cancels a run: its last running task ends it cancelled; an ended run is wrong_status', async () => {
      const r = await startDiamond();
      const [a] = await claimExactly([r.a], T0);
      const cancelled = await ctx.store.pipelineRunCancel({
        now: T0 + 1,
        id: r.run.id,
        reason: 'stop',
      });
      expect(cancelled).toMatchObject({ ok: true, ended: null, run: { cancelRequested: true } });
      expect(await statuses(r.run.id)).toEqual({
        a: 'running',
        b: 'cancelled',
        c: 'cancelled',
        d: 'cancelled',
      });
      expect((await mustGet(ctx.store, r.a)).cancelRequested).toBe(true);
      const last = await settle(
        T0 + 2,
        settlementFor(a as ClaimedTask, {
          to: 'cancelled',
          outcome: 'cancelled',
          reason: 'asked to stop',
          runId: r.run.id,
        }),
      );
      expect(last).toMatchObject({ runEnded: { status: 'cancelled' } });
      expect(await ctx.store.pipelineRunCancel({ now: T0 + 3, id: r.run.id, reason: 'x' })).toEqual(
        {
          ok: false,
          reason: 'wrong_status',
          status: 'cancelled',
        },
      );
      expect(await ctx.store.pipelineRunCancel({ now: T0, id: uuidv7(), reason: 'x' })).toEqual({
        ok: false,
        reason: 'not_found',
      });
    });

    it('ends a run at once when nothing of it runs, and taskCancel of its last task ends it', async () => {
      const r = await startDiamond();
      const cancelled = await ctx.store.pipelineRunCancel({
        now: T0 + 1,
        id: r.run.id,
        reason: 'stop',
      });
      expect(cancelled).toMatchObject({ ok: true, ended: { status: 'cancelled' } });
      const other = await startDiamond({ mode: 'sequential' });
      const [a] = await claimExactly([other.a], T0 + 2);
      await complete(a as ClaimedTask, T0 + 3);
      // Only b holds the place; cancelling the pending rest and then b ends the run.
      for (const id of [other.d, other.c]) {
        await ctx.store.taskCancel({ now: T0 + 4, id, reason: 'not needed' });
      }
      const lastCancel = await ctx.store.taskCancel({ now: T0 + 5, id: other.b, reason: 'no' });
      expect(lastCancel).toMatchObject({ ok: true, runEnded: { status: 'failed' } });
    });

    it('resumes a failed run from the steps that did not complete, keeping the outputs of the rest', async () => {
      const r = await startDiamond();
      const [a] = await claimExactly([r.a], T0);
      await complete(a as ClaimedTask, T0 + 1, { a: 1 });
      const bc = await claimExactly([r.b, r.c], T0 + 2);
      await complete(byId(bc, r.c), T0 + 3, { c: 1 });
      expect((await fail(byId(bc, r.b), T0 + 4)).runEnded?.status).toBe('failed');
      expect(await ctx.store.pipelineRunResume({ now: T0 + 5, id: r.a })).toEqual({
        ok: false,
        reason: 'not_found',
      });
      const resumed = await ctx.store.pipelineRunResume({ now: T0 + 5, id: r.run.id });
      expect(resumed).toMatchObject({
        ok: true,
        ended: null,
        run: { status: 'running', endedAt: null, error: null },
      });
      expect(await statuses(r.run.id)).toEqual({
        a: 'completed',
        b: 'queued',
        c: 'completed',
        d: 'pending',
      });
      expect((await mustGet(ctx.store, r.c)).output).toEqual({ c: 1 });
      expect(
        (await ctx.store.historyList({ id: r.b })).slice(-2).map((h) => [h.from, h.to]),
      ).toEqual([
        ['failed', 'pending'],
        ['pending', 'queued'],
      ]);
      // The failed attempt is kept among the step's executions; the task starts afresh.
      expect((await ctx.store.executionList({ taskId: r.b })).map((e) => e.outcome)).toEqual([
        'failed',
      ]);
      expect(await mustGet(ctx.store, r.b)).toMatchObject({ attempt: 0, error: null });
      expect(await ctx.store.pipelineRunResume({ now: T0 + 6, id: r.run.id })).toEqual({
        ok: false,
        reason: 'wrong_status',
        status: 'running',
      });
      const [b] = await claimExactly([r.b], T0 + 6);
      await complete(b as ClaimedTask, T0 + 7);
      const [d] = await claimExactly([r.d], T0 + 8);
      expect((await complete(d as ClaimedTask, T0 + 9)).runEnded?.status).toBe('completed');
    });
  });

  describe('what a claimed step reads and keeps', () => {
    it("pipelineStepContext gives the run input and the named parents' outputs", async () => {
      const r = await startDiamond();
      const [a] = await claimExactly([r.a], T0);
      await complete(a as ClaimedTask, T0 + 1, { rows: 7 });
      const context = await ctx.store.pipelineStepContext({
        runId: r.run.id,
        step: 'b',
        parents: ['a'],
        items: false,
      });
      expect(context).toMatchObject({
        run: { id: r.run.id, input: { day: '2026-01-01' } },
        parents: [{ step: 'a', status: 'completed', output: { rows: 7 } }],
        items: null,
      });
      expect(
        await ctx.store.pipelineStepContext({
          runId: uuidv7(),
          step: 'b',
          parents: [],
          items: false,
        }),
      ).toBeNull();
    });

    it('pipelineStepBegin is fenced by the lease; pipelineCacheFind finds the newest fresh output', async () => {
      const first = await startDiamond();
      const [a] = await claimExactly([first.a], T0);
      const lease = a as ClaimedTask;
      const begin = (token: string, cacheKey: string) =>
        ctx.store.pipelineStepBegin({
          now: T0,
          id: first.a,
          token,
          input: { built: true },
          cacheKey,
        });
      expect(await begin('stale', 'k1')).toEqual({ ok: false });
      expect(await begin(lease.leaseToken, 'k1')).toEqual({ ok: true });
      expect((await mustGet(ctx.store, first.a)).input).toEqual({ built: true });
      await complete(lease, T0 + SECOND, { v: 1 });
      expect(await ctx.store.pipelineCacheFind({ key: 'k1', since: T0 })).toEqual({
        taskId: first.a,
        output: { v: 1 },
      });
      expect(await ctx.store.pipelineCacheFind({ key: 'k1', since: T0 + 2 * SECOND })).toBeNull();
      expect(await ctx.store.pipelineCacheFind({ key: 'other', since: 0 })).toBeNull();

      const second = await startDiamond();
      const again = await claim(ctx.store, { now: T0 + 2 * SECOND, limit: 100 });
      const a2 = nth(
        again.filter((c) => c.task.id === second.a),
        0,
      );
      await ctx.store.pipelineStepBegin({
        now: T0 + 2 * SECOND,
        id: second.a,
        token: a2.leaseToken,
        input: null,
        cacheKey: 'k1',
      });
      await complete(a2, T0 + 3 * SECOND, { v: 2 });
      expect(await ctx.store.pipelineCacheFind({ key: 'k1', since: T0 })).toEqual({
        taskId: second.a,
        output: { v: 2 },
      });
    });
  });
}
