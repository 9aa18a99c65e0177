import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './context.ts';
import { HOUR, insertAll, insertTask, MINUTE, newTask, SECOND, T0 } from './factories.ts';

/** `queueList`'s `oldestWaitingAt`: the run-at of the task that has waited longest to be claimed,
 * by the caller's clock (issue 18). */
export function queueOldestTests(ctx: ConformanceContext): void {
  const oldestIn = async (queue: string, now: number) =>
    (await ctx.store.queueList({ now })).find((q) => q.name === queue)?.oldestWaitingAt;

  describe('queueList oldestWaitingAt', () => {
    it('is the earliest run-at among ready tasks, not counting delayed or claimed ones', async () => {
      // Running and finished tasks first, while no other task of their type waits.
      await insertTask(ctx.store, {
        status: 'running',
        task: { queue: 'mail', type: 'busy', runAt: T0 - HOUR },
      });
      await insertTask(ctx.store, {
        status: 'completed',
        task: { queue: 'mail', type: 'done', runAt: T0 - 2 * HOUR },
      });
      await insertAll(ctx.store, [
        newTask({ queue: 'mail', runAt: T0 + 5 * SECOND }),
        newTask({ queue: 'mail', runAt: T0 + 2 * SECOND, priority: 0 }),
        newTask({ queue: 'mail', runAt: T0 + 10 * MINUTE }),
        newTask({ queue: 'mail', runAt: T0 - MINUTE, status: 'paused' }),
        newTask({ queue: 'other', runAt: T0 + SECOND }),
      ]);

      // Before anything is due, nothing waits, though tasks are queued.
      expect(await oldestIn('mail', T0)).toBeNull();
      expect(await oldestIn('mail', T0 + 2 * SECOND)).toEqual(new Date(T0 + 2 * SECOND));
      expect(await oldestIn('mail', T0 + HOUR)).toEqual(new Date(T0 + 2 * SECOND));
      expect(await oldestIn('other', T0 + HOUR)).toEqual(new Date(T0 + SECOND));
    });

    it('counts a retrying task once its backoff is over, and forgets a claimed one', async () => {
      await insertTask(ctx.store, {
        status: 'retrying',
        task: { queue: 'retries', type: 'flaky' },
        settleAt: T0 + SECOND,
        retryAt: T0 + MINUTE,
      });
      expect(await oldestIn('retries', T0 + 30 * SECOND)).toBeNull();
      expect(await oldestIn('retries', T0 + 2 * MINUTE)).toEqual(new Date(T0 + MINUTE));

      await insertAll(ctx.store, [newTask({ queue: 'solo', type: 'solo', runAt: T0 })]);
      expect(await oldestIn('solo', T0 + SECOND)).toEqual(new Date(T0));
      const claimed = await ctx.store.taskClaim({
        now: T0 + SECOND,
        workerId: 'worker-a',
        limit: 1,
        types: ['solo'],
        queues: ['solo'],
        leaseMs: MINUTE,
      });
      expect(claimed).toHaveLength(1);
      expect(await oldestIn('solo', T0 + 2 * SECOND)).toBeNull();
    });

    it('is null for a queue with settings and no tasks', async () => {
      await ctx.store.queueUpsert({ now: T0, name: 'empty', concurrency: 2 });
      expect(await oldestIn('empty', T0)).toBeNull();
    });
  });
}
