import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './context.ts';
import { claim, claimedIds, insertAll, newTask, T0 } from './factories.ts';

/** Claims racing each other: limits and exclusivity must hold however the claims interleave. */
export function claimConcurrencyTests(ctx: ConformanceContext): void {
  describe('taskClaim under concurrent claims', () => {
    it('never exceeds a queue concurrency limit, and still fills unlimited queues', async () => {
      await ctx.store.queueUpdate({ now: T0, name: 'narrow', concurrency: 3 });
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
