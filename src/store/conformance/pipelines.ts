import { describe, expect, it } from 'vitest';
import type { ClaimedTask } from '../contract.ts';
import type { ConformanceContext } from './context.ts';
import { claim, mustGet, newTask, settlementFor, sorted, T0, WORKER_A } from './factories.ts';
import { byId, newRun, pipelineHelpers, type Settled, stepTask } from './pipeline-factories.ts';

/**
 * Pipeline runs (src/store/pipeline-contract.ts): a run's steps are tasks that wait on each
 * other; the store queues them, holds them for a place and ends the run, in the transaction of
 * each change. Failures, cancel and resume: pipeline-failures.ts.
 */
export function pipelineTests(ctx: ConformanceContext): void {
  const { startDiamond, statuses, claimExactly, settle, complete } = pipelineHelpers(ctx);

  describe('pipelineRunStart and the dependencies between steps', () => {
    it('queues the root, then each step once its parents completed, and ends the run completed', async () => {
      const r = await startDiamond();
      expect(await statuses(r.run.id)).toEqual({
        a: 'queued',
        b: 'pending',
        c: 'pending',
        d: 'pending',
      });
      const [a] = await claimExactly([r.a], T0);
      expect(a?.task.pipeline).toEqual({ runId: r.run.id, step: 'a', item: null });
      expect((await complete(a as ClaimedTask, T0 + 1)).runEnded).toBeUndefined();
      expect(await statuses(r.run.id)).toMatchObject({ b: 'queued', c: 'queued', d: 'pending' });
      const bc = await claimExactly([r.b, r.c], T0 + 2);
      await complete(byId(bc, r.b), T0 + 3);
      expect((await statuses(r.run.id))['d']).toBe('pending');
      await complete(byId(bc, r.c), T0 + 4);
      expect((await statuses(r.run.id))['d']).toBe('queued');
      const [d] = await claimExactly([r.d], T0 + 5);
      const last = await complete(d as ClaimedTask, T0 + 6, { total: 3 });
      expect(last).toMatchObject({
        runEnded: { runId: r.run.id, pipeline: 'etl', status: 'completed' },
      });
      const detail = await ctx.store.pipelineRunGet({ id: r.run.id });
      expect(detail?.run).toMatchObject({ status: 'completed', endedAt: T0 + 6, error: null });
      expect(detail?.steps.map((s) => s.step)).toEqual(['a', 'b', 'c', 'd']);
      const outputs = await ctx.store.pipelineRunOutputs({ ids: [r.run.id], steps: ['d'] });
      expect(outputs.get(r.run.id)).toEqual({ d: { total: 3 } });
      const list = await ctx.store.pipelineRunList({ pipeline: 'etl', limit: 10 });
      expect(list.runs.map((x) => x.id)).toEqual([r.run.id]);
    });

    it('leaves a run whose id is stored already as it is: a retried start adds no tasks', async () => {
      const r = await startDiamond();
      const again = newRun({ id: r.run.id, input: { day: 'another' } });
      const tasks = [stepTask(again, 'a', 0)];
      await ctx.store.pipelineRunStart({ now: T0 + 1, runs: [{ run: again, tasks }] });
      const detail = await ctx.store.pipelineRunGet({ id: r.run.id });
      expect(detail?.run.input).toEqual(r.run.input);
      expect(detail?.steps.map((s) => s.taskId)).toEqual([r.a, r.b, r.c, r.d]);
      expect(await ctx.store.taskGet({ id: (tasks[0] as { id: string }).id })).toBeNull();
    });

    it("keeps a running run's finished steps from retention, and deletes an ended run with its last task", async () => {
      const r = await startDiamond();
      const [a] = await claimExactly([r.a], T0);
      await complete(a as ClaimedTask, T0 + 1);
      const early = await ctx.store.taskPurge({ status: 'completed', limit: 100 });
      expect(early.taskIds).toEqual([]);
      const bc = await claimExactly([r.b, r.c], T0 + 2);
      await complete(byId(bc, r.b), T0 + 3);
      await complete(byId(bc, r.c), T0 + 3);
      const [d] = await claimExactly([r.d], T0 + 4);
      await complete(d as ClaimedTask, T0 + 5);
      const purged = await ctx.store.taskPurge({ status: 'completed', limit: 100 });
      expect(sorted(purged.taskIds)).toEqual(sorted([r.a, r.b, r.c, r.d]));
      expect(await ctx.store.pipelineRunGet({ id: r.run.id })).toBeNull();
    });

    it('releases dependents of a skipped step as a completed one does', async () => {
      const r = await startDiamond();
      const [a] = await claimExactly([r.a], T0);
      await settle(
        T0 + 1,
        settlementFor(a as ClaimedTask, {
          to: 'skipped',
          outcome: 'skipped',
          reason: 'its condition said no',
          runId: r.run.id,
        }),
      );
      expect(await statuses(r.run.id)).toMatchObject({ a: 'skipped', b: 'queued', c: 'queued' });
      const bc = await claimExactly([r.b, r.c], T0 + 2);
      await complete(byId(bc, r.b), T0 + 3);
      await complete(byId(bc, r.c), T0 + 3);
      const [d] = await claimExactly([r.d], T0 + 4);
      expect((await complete(d as ClaimedTask, T0 + 5)).runEnded?.status).toBe('completed');
    });

    it('runs one task of a sequential run at a time, in step order', async () => {
      const r = await startDiamond({ mode: 'sequential' });
      expect(await statuses(r.run.id)).toEqual({
        a: 'queued',
        b: 'pending',
        c: 'pending',
        d: 'pending',
      });
      let now = T0;
      let ended: Settled | null = null;
      for (const id of [r.a, r.b, r.c, r.d]) {
        const [one] = await claimExactly([id], now);
        const open = Object.values(await statuses(r.run.id));
        expect(open.filter((s) => s === 'queued' || s === 'running')).toEqual(['running']);
        ended = await complete(one as ClaimedTask, ++now);
      }
      expect(ended?.runEnded?.status).toBe('completed');
    });
  });

  describe('changes of one run at the same time', () => {
    it('ends a run once when its last two steps settle in separate calls at once', async () => {
      const runs = Array.from({ length: 4 }, () => newRun());
      const starts = runs.map((run) => ({
        run,
        tasks: [stepTask(run, 'b', 0), stepTask(run, 'c', 1)],
      }));
      await ctx.store.pipelineRunStart({ now: T0, runs: starts });
      const claimed = await claim(ctx.store, { now: T0, limit: 100 });
      expect(claimed).toHaveLength(8);
      const results = await Promise.all(claimed.map((c) => complete(c, T0 + 1)));
      const ends = results.flatMap((r) => (r.runEnded ? [r.runEnded.runId] : []));
      expect(sorted(ends)).toEqual(sorted(runs.map((r) => r.id)));
      for (const run of runs) {
        expect((await ctx.store.pipelineRunGet({ id: run.id }))?.run.status).toBe('completed');
      }
    });

    it("ends a run once when its cancel and its running step's settlement race", async () => {
      const r = await startDiamond();
      const [a] = await claimExactly([r.a], T0);
      const [cancelled, settled] = await Promise.all([
        ctx.store.pipelineRunCancel({ now: T0 + 1, id: r.run.id, reason: 'stop' }),
        complete(a as ClaimedTask, T0 + 1),
      ]);
      const ended = [cancelled.ok ? cancelled.ended : null, settled.runEnded ?? null].filter(
        (e) => e !== null,
      );
      expect(ended).toHaveLength(1);
      const run = (await ctx.store.pipelineRunGet({ id: r.run.id }))?.run;
      expect(run).toMatchObject({ status: 'cancelled', endedAt: T0 + 1 });
      expect(Object.values(await statuses(r.run.id)).sort()).toEqual([
        'cancelled',
        'cancelled',
        'cancelled',
        'completed',
      ]);
    });
  });

  describe('taskSettleClaim of a round of pipeline tasks only', () => {
    it('claims ready tasks and the step the round released, then a limited queue within its limit', async () => {
      const run = newRun();
      const a = stepTask(run, 'a', 0);
      const b = stepTask(run, 'b', 1, [a.id]);
      const c = stepTask(run, 'c', 2, [b.id]);
      await ctx.store.pipelineRunStart({ now: T0, runs: [{ run, tasks: [a, b, c] }] });
      const [first] = await claimExactly([a.id], T0);
      const plain = newTask();
      await ctx.store.taskInsert({ now: T0 + 1, tasks: [plain] });
      const settleClaim = (now: number, step: ClaimedTask) =>
        ctx.store.taskSettleClaim({
          now,
          workerId: WORKER_A,
          items: [settlementFor(step, { runId: run.id, output: { done: step.task.id } })],
          claim: { limit: 10, types: [plain.type], queues: null, leaseMs: 30_000 },
        });
      const one = await settleClaim(T0 + 2, first as ClaimedTask);
      expect(one.results).toEqual([{ ok: true, from: 'running', to: 'completed' }]);
      expect(sorted(one.claimed.map((x) => x.task.id))).toEqual(sorted([plain.id, b.id]));
      expect(byId(one.claimed, b.id).task.pipeline).toEqual({
        runId: run.id,
        step: 'b',
        item: null,
      });

      await ctx.store.queueUpsert({ now: T0 + 3, name: 'narrow', concurrency: 1 });
      const narrow = [newTask({ queue: 'narrow' }), newTask({ queue: 'narrow' })];
      await ctx.store.taskInsert({ now: T0 + 3, tasks: narrow });
      const two = await settleClaim(T0 + 4, byId(one.claimed, b.id));
      expect(two.results).toEqual([{ ok: true, from: 'running', to: 'completed' }]);
      const narrowFirst = (narrow[0] as { id: string }).id;
      expect(sorted(two.claimed.map((x) => x.task.id))).toEqual(sorted([narrowFirst, c.id]));
    });
  });

  describe('pipelineMapExpand', () => {
    it('fans a step out into items that take the places its limit allows, then gathers them', async () => {
      const run = newRun({ limits: { m: 2 } });
      const m = stepTask(run, 'm', 0);
      const after = stepTask(run, 'after', 1, [m.id]);
      await ctx.store.pipelineRunStart({ now: T0, runs: [{ run, tasks: [m, after] }] });
      const [step] = await claimExactly([m.id], T0);
      const items = [0, 1, 2].map((i) =>
        newTask({
          status: 'pending',
          input: { i },
          pipeline: { runId: run.id, step: 'm', item: i, order: 0, held: true },
        }),
      );
      const lease = step as ClaimedTask;
      expect(
        await ctx.store.pipelineMapExpand({ now: T0 + 1, id: m.id, token: 'stale', items }),
      ).toEqual({ ok: false });
      expect(
        await ctx.store.pipelineMapExpand({
          now: T0 + 1,
          id: m.id,
          token: lease.leaseToken,
          items,
        }),
      ).toEqual({ ok: true });
      expect((await mustGet(ctx.store, m.id)).status).toBe('pending');
      const [i0, i1, i2] = items.map((t) => t.id) as [string, string, string];
      expect((await mustGet(ctx.store, i2)).status).toBe('pending');
      const first = await claimExactly([i0, i1], T0 + 2);
      expect(first.map((c) => c.task.pipeline?.item).sort()).toEqual([0, 1]);
      await complete(byId(first, i0), T0 + 3, { doubled: 0 });
      expect((await mustGet(ctx.store, i2)).status).toBe('queued');
      const [third] = await claimExactly([i2], T0 + 4);
      await complete(third as ClaimedTask, T0 + 5, { doubled: 4 });
      expect((await mustGet(ctx.store, m.id)).status).toBe('pending');
      await complete(byId(first, i1), T0 + 6, { doubled: 2 });
      const [gather] = await claimExactly([m.id], T0 + 7);
      expect(gather?.task.attempt).toBe(1);
      const context = await ctx.store.pipelineStepContext({
        runId: m.pipeline?.runId as string,
        step: m.pipeline?.step as string,
        parents: [],
        items: true,
      });
      expect(context?.items).toEqual([
        { index: 0, status: 'completed', output: { doubled: 0 } },
        { index: 1, status: 'completed', output: { doubled: 2 } },
        { index: 2, status: 'completed', output: { doubled: 4 } },
      ]);
      const counts = (await ctx.store.pipelineRunGet({ id: run.id }))?.items;
      expect(counts).toEqual([{ step: 'm', status: 'completed', count: 3 }]);
      await complete(gather as ClaimedTask, T0 + 8);
      expect((await mustGet(ctx.store, after.id)).status).toBe('queued');
    });
  });
}
