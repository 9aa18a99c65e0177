import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './context.ts';
import {
  claim,
  insertAll,
  LEASE_MS,
  mustGet,
  newTask,
  settlementFor,
  T0,
  WORKER_A,
} from './factories.ts';

/** `taskSettleClaim`: the worker's hot path, ending attempts and taking the next in one call. */
export function settleClaimTests(ctx: ConformanceContext): void {
  const claimParams = (limit: number) => ({
    limit,
    types: [newTask().type],
    queues: null,
    leaseMs: LEASE_MS,
  });

  describe('taskSettleClaim', () => {
    it('settles the items and claims the next ready tasks', async () => {
      const [first, second, third] = await insertAll(ctx.store, [newTask(), newTask(), newTask()]);
      const [running] = await claim(ctx.store, { now: T0, limit: 1 });
      expect(running?.task.id).toBe(first);
      const out = await ctx.store.taskSettleClaim({
        now: T0 + 10,
        workerId: WORKER_A,
        items: [settlementFor(running!, { output: 'done' })],
        claim: claimParams(5),
      });
      expect(out.results).toEqual([{ ok: true, from: 'running', to: 'completed' }]);
      expect(out.claimed.map((c) => c.task.id).sort()).toEqual([second, third].sort());
      expect(await mustGet(ctx.store, first!)).toMatchObject({
        status: 'completed',
        output: 'done',
      });
      for (const c of out.claimed)
        expect(c.task).toMatchObject({ status: 'running', attempt: 1, workerId: WORKER_A });
    });

    it('reports a stale token as lost and still claims', async () => {
      const [a, b] = await insertAll(ctx.store, [newTask(), newTask()]);
      const [running] = await claim(ctx.store, { now: T0, limit: 1 });
      expect(running?.task.id).toBe(a);
      const out = await ctx.store.taskSettleClaim({
        now: T0 + 10,
        workerId: WORKER_A,
        items: [settlementFor(running!, { token: 'not-the-token' })],
        claim: claimParams(1),
      });
      expect(out.results).toEqual([{ ok: false, reason: 'lease_lost' }]);
      expect(out.claimed.map((c) => c.task.id)).toEqual([b]);
      expect((await mustGet(ctx.store, a!)).status).toBe('running');
    });

    it('only settles when the claim asks for nothing', async () => {
      await insertAll(ctx.store, [newTask(), newTask()]);
      const [running] = await claim(ctx.store, { now: T0, limit: 1 });
      const out = await ctx.store.taskSettleClaim({
        now: T0 + 1,
        workerId: WORKER_A,
        items: [settlementFor(running!)],
        claim: claimParams(0),
      });
      expect(out.results[0]).toMatchObject({ ok: true });
      expect(out.claimed).toEqual([]);
    });

    it('writes nothing when an item asks for an illegal transition', async () => {
      const [a] = await insertAll(ctx.store, [newTask(), newTask()]);
      const [running] = await claim(ctx.store, { now: T0, limit: 1 });
      const call = ctx.store.taskSettleClaim({
        now: T0 + 1,
        workerId: WORKER_A,
        items: [settlementFor(running!, { to: 'paused' })],
        claim: claimParams(5),
      });
      await expect(call).rejects.toMatchObject({ code: 'TASK_ILLEGAL_TRANSITION' });
      expect((await mustGet(ctx.store, a!)).status).toBe('running');
      const queued = await claim(ctx.store, { now: T0 + 2, limit: 5 });
      expect(queued).toHaveLength(1);
    });
  });
}
