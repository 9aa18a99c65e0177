import { describe, expect, it } from 'vitest';
import { PRIORITIES } from '../../core/priority.ts';
import type { ConformanceContext } from './context.ts';
import { insertAll, listAll, mustGet, newTask, nth, SECOND, T0 } from './factories.ts';

export function insertTests(ctx: ConformanceContext): void {
  describe('taskInsert', () => {
    it('returns the given ids in order, each created', async () => {
      const tasks = [newTask(), newTask(), newTask()];
      const result = await ctx.store.taskInsert({ now: T0, tasks });
      expect(result).toEqual({
        ok: true,
        ids: tasks.map((t) => t.id),
        created: [true, true, true],
      });
    });

    it('stores every field so taskGet reads it back', async () => {
      const input = {
        text: 'héllo ✓ "quoted" \n line',
        n: 42,
        ratio: 0.25,
        flag: false,
        none: null,
        list: [1, 'two', { three: [3] }],
        nested: { deep: { deeper: true } },
      };
      const task = newTask({
        type: 'report.build',
        queue: 'reports',
        priority: 1,
        input,
        maxAttempts: 7,
        runAt: T0 + 5 * SECOND,
        idempotencyKey: 'report-2026-01',
        inputHash: 'hash-1',
        name: 'Report — January',
      });
      await insertAll(ctx.store, [task], T0);

      expect(await ctx.store.taskGet({ id: task.id })).toEqual({
        id: task.id,
        name: 'Report — January',
        type: 'report.build',
        queue: 'reports',
        priority: 'high',
        status: 'queued',
        input,
        output: null,
        error: null,
        attempt: 0,
        maxAttempts: 7,
        progress: null,
        progressMessage: null,
        idempotencyKey: 'report-2026-01',
        runAt: new Date(T0 + 5 * SECOND),
        createdAt: new Date(T0),
        updatedAt: new Date(T0),
        startedAt: null,
        finishedAt: null,
        workerId: null,
        leaseExpiresAt: null,
        cancelRequested: false,
        crashCount: 0,
        timeout: null,
        // The store reads tasks without their schedule link (scheduleLinkList reads it).
        schedule: null,
        // Submitted alone, not as a pipeline step.
        pipeline: null,
      });
    });

    it('round-trips inputs that are not objects', async () => {
      const inputs: unknown[] = ['just a string', 12.5, true, null, [1, 2, 3]];
      const tasks = inputs.map((input) => newTask({ input }));
      await insertAll(ctx.store, tasks);
      for (const [i, task] of tasks.entries()) {
        expect((await mustGet(ctx.store, task.id)).input).toEqual(inputs[i]);
      }
    });

    it('names each priority level', async () => {
      const tasks = PRIORITIES.map((_, level) => newTask({ priority: level }));
      await insertAll(ctx.store, tasks);
      for (const [level, task] of tasks.entries()) {
        expect((await mustGet(ctx.store, task.id)).priority).toBe(PRIORITIES[level]);
      }
    });

    it('keeps the initial status it is given: queued, pending or paused', async () => {
      const tasks = [
        newTask({ status: 'queued' }),
        newTask({ status: 'pending' }),
        newTask({ status: 'paused' }),
      ];
      await insertAll(ctx.store, tasks);
      for (const task of tasks) {
        expect((await mustGet(ctx.store, task.id)).status).toBe(task.status);
      }
    });

    it('returns null from taskGet for an unknown id', async () => {
      expect(await ctx.store.taskGet({ id: newTask().id })).toBeNull();
    });

    it('inserts 5,000 tasks in one call', async () => {
      const tasks = Array.from({ length: 5000 }, (_, i) => newTask({ input: { i } }));
      const result = await ctx.store.taskInsert({ now: T0, tasks });
      if (!result.ok) throw new Error(`bulk insert refused: ${result.reason}`);
      expect(result.ids).toEqual(tasks.map((t) => t.id));
      expect(result.created.every((c) => c)).toBe(true);

      const listed = await listAll(ctx.store);
      expect(listed).toHaveLength(5000);
      expect(new Set(listed.map((t) => t.id)).size).toBe(5000);
      expect((await mustGet(ctx.store, nth(tasks, 4999).id)).input).toEqual({ i: 4999 });
    });

    it('records the entry into queued in the history', async () => {
      const task = newTask();
      await insertAll(ctx.store, [task], T0 + SECOND);
      const history = await ctx.store.historyList({ id: task.id });
      expect(history).toHaveLength(1);
      const entry = nth(history, 0);
      expect(entry).toMatchObject({
        taskId: task.id,
        from: null,
        to: 'queued',
        at: new Date(T0 + SECOND),
        workerId: null,
      });
      expect(entry.reason).toEqual(expect.any(String));
    });
  });

  describe('taskInsert idempotency', () => {
    const keyed = (key: string, hash: string) => newTask({ idempotencyKey: key, inputHash: hash });

    it('replays a known key and fingerprint to the existing task, adding no row', async () => {
      const first = keyed('order-1', 'h1');
      await insertAll(ctx.store, [first], T0);
      const replay = keyed('order-1', 'h1');

      const result = await ctx.store.taskInsert({ now: T0 + SECOND, tasks: [replay] });
      expect(result).toEqual({ ok: true, ids: [first.id], created: [false] });
      expect(await ctx.store.taskGet({ id: replay.id })).toBeNull();
      expect(await listAll(ctx.store)).toHaveLength(1);
      expect(await ctx.store.historyList({ id: first.id })).toHaveLength(1);
    });

    it('mixes replays and new tasks in one call', async () => {
      const first = keyed('order-1', 'h1');
      await insertAll(ctx.store, [first]);
      const fresh = newTask();
      const result = await ctx.store.taskInsert({
        now: T0,
        tasks: [fresh, keyed('order-1', 'h1')],
      });
      expect(result).toEqual({ ok: true, ids: [fresh.id, first.id], created: [true, false] });
      expect(await listAll(ctx.store)).toHaveLength(2);
    });

    it('refuses a known key with another fingerprint and stores nothing of that call', async () => {
      const first = keyed('order-1', 'h1');
      await insertAll(ctx.store, [first]);
      const innocent = newTask();
      const conflicting = keyed('order-1', 'h2');

      const result = await ctx.store.taskInsert({
        now: T0 + SECOND,
        tasks: [innocent, conflicting],
      });
      expect(result).toEqual({
        ok: false,
        reason: 'idempotency_conflict',
        index: 1,
        key: 'order-1',
        existingId: first.id,
      });
      expect(await ctx.store.taskGet({ id: innocent.id })).toBeNull();
      expect(await ctx.store.taskGet({ id: conflicting.id })).toBeNull();
      expect((await listAll(ctx.store)).map((t) => t.id)).toEqual([first.id]);
      expect(await mustGet(ctx.store, first.id)).toMatchObject({ status: 'queued', attempt: 0 });
    });

    it('treats a repeated key and fingerprint within one batch as one task', async () => {
      const a = keyed('batch-key', 'h1');
      const b = keyed('batch-key', 'h1');
      const result = await ctx.store.taskInsert({ now: T0, tasks: [a, b] });
      expect(result).toEqual({ ok: true, ids: [a.id, a.id], created: [true, false] });
      expect(await listAll(ctx.store)).toHaveLength(1);
    });

    it('refuses a repeated key with another fingerprint within one batch, storing nothing', async () => {
      const result = await ctx.store.taskInsert({
        now: T0,
        tasks: [newTask(), keyed('batch-key', 'h1'), keyed('batch-key', 'h2')],
      });
      expect(result).toMatchObject({
        ok: false,
        reason: 'idempotency_conflict',
        index: 2,
        key: 'batch-key',
      });
      expect(await listAll(ctx.store)).toHaveLength(0);
    });

    it('never deduplicates tasks without a key', async () => {
      const tasks = [newTask({ input: { same: 1 } }), newTask({ input: { same: 1 } })];
      const result = await ctx.store.taskInsert({ now: T0, tasks });
      expect(result).toEqual({ ok: true, ids: tasks.map((t) => t.id), created: [true, true] });
      expect(await listAll(ctx.store)).toHaveLength(2);
    });
  });
}
