import { describe, expect, it } from 'vitest';
import type { NewTask } from '../../core/new-task.ts';
import type { ConformanceContext } from './context.ts';
import {
  claim,
  insertAll,
  LEASE_MS,
  listAll,
  mustGet,
  newTask,
  QUEUE,
  settlementFor,
  T0,
  WORKER_A,
} from './factories.ts';

/** A task's own timeouts, given at submit (`NewTask.timeout`): kept with the task and carried
 * by every read, and by each way a worker claims it, since the worker times the attempt by them. */
export function taskTimeoutTests(ctx: ConformanceContext): void {
  const both = (): NewTask => newTask({ timeout: { softMs: 1_500, hardMs: 3_000 } });

  describe('a task with timeouts of its own', () => {
    it('keeps them, and null for a task without', async () => {
      const tasks = [both(), newTask({ timeout: { hardMs: 250 } }), newTask()];
      await insertAll(ctx.store, tasks);
      const timeouts = [{ softMs: 1_500, hardMs: 3_000 }, { hardMs: 250 }, null];
      for (const [i, task] of tasks.entries()) {
        expect((await mustGet(ctx.store, task.id)).timeout).toEqual(timeouts[i]);
      }
      const listed = new Map((await listAll(ctx.store)).map((t) => [t.id, t.timeout]));
      expect(tasks.map((t) => listed.get(t.id))).toEqual(timeouts);
    });

    it('carries them in a claim', async () => {
      const task = both();
      await insertAll(ctx.store, [task]);
      const [claimed] = await claim(ctx.store, { now: T0 });
      expect(claimed?.task.timeout).toEqual({ softMs: 1_500, hardMs: 3_000 });
    });

    it('carries them in a claim from a queue with a concurrency limit', async () => {
      await ctx.store.queueUpsert({ now: T0, name: QUEUE, concurrency: 5 });
      const task = both();
      await insertAll(ctx.store, [task]);
      const [claimed] = await claim(ctx.store, { now: T0 });
      expect(claimed?.task.timeout).toEqual({ softMs: 1_500, hardMs: 3_000 });
    });

    it('carries them in the claim of a settle round', async () => {
      const [first, second] = [newTask(), both()];
      await insertAll(ctx.store, [first, second]);
      const [running] = await claim(ctx.store, { now: T0, limit: 1 });
      if (running === undefined) throw new Error('nothing was claimed');
      const out = await ctx.store.taskSettleClaim({
        now: T0 + 10,
        workerId: WORKER_A,
        items: [settlementFor(running)],
        claim: { limit: 1, types: [second.type], queues: null, leaseMs: LEASE_MS },
      });
      expect(out.claimed.map((c) => c.task.timeout)).toEqual([{ softMs: 1_500, hardMs: 3_000 }]);
    });

    it('stores the input as the JSON text given with it', async () => {
      const task = newTask({ input: { b: 2, a: [1] }, inputJson: '{"b":2,"a":[1]}' });
      await insertAll(ctx.store, [task]);
      expect((await mustGet(ctx.store, task.id)).input).toEqual({ b: 2, a: [1] });
    });
  });
}
