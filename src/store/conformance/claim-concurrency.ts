import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './context.ts';
import {
  claim,
  claimedIds,
  insertAll,
  mustGet,
  newTask,
  recoveryFor,
  T0,
  WORKER_A,
} from './factories.ts';

/** Claims racing each other: limits and exclusivity must hold however the claims interleave. */
export function claimConcurrencyTests(ctx: ConformanceContext): void {
  describe('taskClaim under concurrent claims', () => {
    it('hands out disjoint tasks to as many claims at once as `parallelClaims` says', async () => {
      const parallel = ctx.store.capabilities.parallelClaims;
      expect(Number.isInteger(parallel) && parallel >= 1).toBe(true);
      await insertAll(
        ctx.store,
        Array.from({ length: 4 * parallel }, () => newTask()),
      );
      const batches = await Promise.all(
        Array.from({ length: parallel }, () =>
          claim(ctx.store, { now: T0, workerId: WORKER_A, limit: 4 }),
        ),
      );
      const ids = claimedIds(batches.flat());
      expect(new Set(ids).size).toBe(4 * parallel);
    });

    it('never exceeds a queue concurrency limit, and still fills unlimited queues', async () => {
      await ctx.store.queueUpsert({ now: T0, name: 'narrow', concurrency: 3 });
      const narrow = Array.from({ length: 20 }, () => newTask({ queue: 'narrow' }));
      const wide = Array.from({ length: 20 }, () => newTask({ queue: 'wide' }));
      await insertAll(ctx.store, [...narrow, ...wide]);

      const batches = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          claim(ctx.store, { now: T0, workerId: `worker-${i}`, limit: 4 }),
        ),
      );
      const all = batches.flat();
      expect(new Set(claimedIds(all)).size).toBe(all.length);
      expect(all.filter((c) => c.task.queue === 'narrow')).toHaveLength(3);
      expect(all.filter((c) => c.task.queue === 'wide')).toHaveLength(20);
    });
  });
}

/**
 * Sweepers racing each other over the same expired leases, and a renewal racing them: each task
 * is recovered once, and no statement fails (a store that locks rows in whatever order its join
 * visits them deadlocks here).
 */
export function recoveryConcurrencyTests(ctx: ConformanceContext): void {
  describe('taskSettle under concurrent recoveries', () => {
    it('recovers each expired lease at most once, with sweepers and a renewal in opposite orders', async () => {
      for (let round = 0; round < 5; round++) {
        const type = `sweep-${round}`;
        await insertAll(
          ctx.store,
          Array.from({ length: 40 }, () => newTask({ type })),
        );
        const claimed = await claim(ctx.store, { now: T0, limit: 40, leaseMs: 10, types: [type] });
        expect(claimed).toHaveLength(40);
        const later = T0 + 1_000;
        const items = claimed.map((c) => recoveryFor({ id: c.task.id, token: c.leaseToken }));
        const orders = [items, [...items].reverse(), [...items.slice(20), ...items.slice(0, 20)]];
        const [renewed, ...sweeps] = await Promise.all([
          ctx.store.leaseRenew({
            now: later,
            workerId: WORKER_A,
            leaseMs: 60_000,
            leases: [...claimed].reverse().map((c) => ({ id: c.task.id, token: c.leaseToken })),
          }),
          ...orders.map((order, i) =>
            ctx.store.taskSettle({ now: later, workerId: `sweeper-${i}`, items: order }),
          ),
        ]);
        void renewed;
        const recoveries = new Map<string, number>();
        sweeps.forEach((results, i) => {
          (results as { ok: boolean }[]).forEach((r, j) => {
            const id = orders[i]?.[j]?.id ?? '';
            if (r.ok) recoveries.set(id, (recoveries.get(id) ?? 0) + 1);
          });
        });
        for (const c of claimed) {
          const times = recoveries.get(c.task.id) ?? 0;
          expect(times).toBeLessThanOrEqual(1);
          // Recovered once, or renewed first and still running under its lease.
          expect((await mustGet(ctx.store, c.task.id)).status).toBe(
            times === 1 ? 'queued' : 'running',
          );
        }
      }
    });
  });
}
