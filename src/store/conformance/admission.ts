import { describe, expect, it } from 'vitest';
import { ADMISSION_RULES, type AdmissionRule } from '../../core/admission.ts';
import type { ConformanceContext } from './context.ts';
import {
  claim,
  claimedIds,
  insertAll,
  newTask,
  nth,
  recoveryFor,
  SECOND,
  settlementFor,
  T0,
  WORKER_A,
  WORKER_B,
} from './factories.ts';

/**
 * Each rule of src/core/admission.ts, stated once. The record is typed over the rules, so a new
 * rule does not compile until it has its tests here.
 */
const RULES: Record<AdmissionRule, (ctx: ConformanceContext) => void> = {
  'paused-queue': (ctx) => {
    it('skips a paused queue, and takes from it again once resumed', async () => {
      const held = newTask({ queue: 'held' });
      const open = newTask({ queue: 'open' });
      await insertAll(ctx.store, [held, open]);
      await ctx.store.queueUpsert({ now: T0, name: 'held', paused: true });

      expect(claimedIds(await claim(ctx.store, { now: T0 }))).toEqual([open.id]);
      expect(await claim(ctx.store, { now: T0 + SECOND })).toEqual([]);

      await ctx.store.queueUpsert({ now: T0 + 2 * SECOND, name: 'held', paused: false });
      expect(claimedIds(await claim(ctx.store, { now: T0 + 3 * SECOND }))).toEqual([held.id]);
    });
  },

  'queue-concurrency': (ctx) => {
    it('holds a queue concurrency limit across workers', async () => {
      await ctx.store.queueUpsert({ now: T0, name: 'narrow', concurrency: 2 });
      const narrow = Array.from({ length: 4 }, () => newTask({ queue: 'narrow' }));
      const wide = newTask({ queue: 'wide' });
      await insertAll(ctx.store, [...narrow, wide]);

      const a = await claim(ctx.store, { now: T0, workerId: WORKER_A, queues: ['narrow'] });
      expect(a).toHaveLength(2);
      const b = await claim(ctx.store, { now: T0, workerId: WORKER_B, queues: null });
      expect(claimedIds(b)).toEqual([wide.id]);
      expect(await claim(ctx.store, { now: T0, workerId: WORKER_B, queues: ['narrow'] })).toEqual(
        [],
      );

      // A finished attempt frees one slot, and only one.
      const [done] = await ctx.store.taskSettle({
        now: T0 + SECOND,
        workerId: WORKER_A,
        items: [settlementFor(nth(a, 0))],
      });
      expect(done?.ok).toBe(true);
      const next = await claim(ctx.store, { now: T0 + SECOND, workerId: WORKER_B });
      expect(next).toHaveLength(1);
      expect(nth(next, 0).task.queue).toBe('narrow');
    });

    it('fills a claim from unlimited queues past a limited one that is full', async () => {
      await ctx.store.queueUpsert({ now: T0, name: 'narrow', concurrency: 1 });
      const narrow = Array.from({ length: 3 }, () => newTask({ queue: 'narrow' }));
      const wide = Array.from({ length: 3 }, () => newTask({ queue: 'wide' }));
      // Claim order puts every narrow task before the wide ones.
      await insertAll(ctx.store, [...narrow, ...wide]);
      const claimed = await claim(ctx.store, { now: T0, limit: 4 });
      expect(claimedIds(claimed)).toEqual([nth(narrow, 0).id, ...wide.map((t) => t.id)]);
    });
  },

  'crashed-not-held': (ctx) => {
    /** A task that a worker died holding: claimed, its lease run out, recovered. */
    async function crashedTask(id: string): Promise<void> {
      const [held] = await claim(ctx.store, { now: T0, limit: 1, leaseMs: 10 });
      if (held === undefined || held.task.id !== id) throw new Error('expected to claim it');
      const [recovered] = await ctx.store.taskSettle({
        now: T0 + SECOND,
        workerId: WORKER_B,
        items: [recoveryFor({ id, token: held.leaseToken })],
      });
      expect(recovered?.ok).toBe(true);
    }

    it('takes a task a worker died holding only for a slot that starts at once', async () => {
      const [crashed, next, last] = [newTask(), newTask(), newTask()];
      await insertAll(ctx.store, [crashed, next, last]);
      await crashedTask(crashed.id);

      // All held ahead: the crashed task stays behind, the others are taken.
      const held = await claim(ctx.store, { now: T0 + 2 * SECOND, limit: 3, free: 0 });
      expect(claimedIds(held)).toEqual([next.id, last.id]);
      // One slot free: it is taken, first.
      const started = await claim(ctx.store, { now: T0 + 2 * SECOND, limit: 3, free: 1 });
      expect(claimedIds(started)).toEqual([crashed.id]);
    });

    it('counts `free` in claim order: second of three is inside two free slots, not one', async () => {
      const crashed = newTask();
      await insertAll(ctx.store, [crashed]);
      await crashedTask(crashed.id);
      const first = newTask({ runAt: T0 - SECOND });
      const third = newTask({ runAt: T0 + SECOND });
      await insertAll(ctx.store, [first, third]);
      const now = T0 + 2 * SECOND;
      expect(claimedIds(await claim(ctx.store, { now, limit: 3, free: 1 }))).toEqual([
        first.id,
        third.id,
      ]);
      expect(claimedIds(await claim(ctx.store, { now, limit: 3, free: 2 }))).toEqual([crashed.id]);
    });
  },
};

export function admissionTests(ctx: ConformanceContext): void {
  describe('claim admission (src/core/admission.ts)', () => {
    for (const [rule, statement] of Object.entries(ADMISSION_RULES)) {
      describe(`${rule}: ${statement}`, () => RULES[rule as AdmissionRule](ctx));
    }
  });
}
