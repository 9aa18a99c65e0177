import { describe, expect, it } from 'vitest';
import type { Store } from '../contract.ts';
import type { ConformanceContext, StoreHarness } from './context.ts';
import {
  claim,
  HOUR,
  insertAll,
  insertTask,
  LEASE_MS,
  MINUTE,
  mustGet,
  newTask,
  SECOND,
  settlementFor,
  snapshot,
  T0,
  TYPE,
  WORKER_A,
} from './factories.ts';

/** A person's changes to a waiting task (`taskUpdate`) and the operator's pause and resume
 * (`taskSetStatus`), seed 002's task operations (issue 17). */
export function taskEditTests(ctx: ConformanceContext, harness: StoreHarness): void {
  describe('taskUpdate', () => {
    it('changes the input, priority, run-at, queue and name of a queued task at once, and records it in the history', async () => {
      const { id } = await insertTask(ctx.store, { status: 'queued' });
      const result = await ctx.store.taskUpdate({
        now: T0 + MINUTE,
        id,
        changes: {
          inputJson: JSON.stringify({ to: 'grace@example.com', n: 2 }),
          priority: 0,
          runAt: T0 + HOUR,
          queue: 'reports',
          name: 'Monthly report',
        },
      });
      expect(result).toMatchObject({ ok: true, from: 'queued' });
      expect(await mustGet(ctx.store, id)).toMatchObject({
        input: { to: 'grace@example.com', n: 2 },
        priority: 'critical',
        runAt: new Date(T0 + HOUR),
        queue: 'reports',
        name: 'Monthly report',
        status: 'queued',
        updatedAt: new Date(T0 + MINUTE),
      });
      const history = await ctx.store.historyList({ id });
      expect(history.at(-1)).toMatchObject({
        from: 'queued',
        to: 'queued',
        reason: 'updated: input, priority, runAt, queue, name',
        at: new Date(T0 + MINUTE),
      });
    });

    it('keeps the fields it is not given, and clears the name with null', async () => {
      const { id } = await insertTask(ctx.store, {
        status: 'queued',
        task: { name: 'first', priority: 3 },
      });
      await ctx.store.taskUpdate({ now: T0, id, changes: { priority: 1 } });
      expect(await mustGet(ctx.store, id)).toMatchObject({ name: 'first', priority: 'high' });
      await ctx.store.taskUpdate({ now: T0, id, changes: { name: null } });
      expect(await mustGet(ctx.store, id)).toMatchObject({ name: null, priority: 'high' });
    });

    for (const status of ['paused', 'pending', 'retrying'] as const) {
      it(`updates a ${status} task, which stays ${status}`, async () => {
        const { id } = await insertTask(ctx.store, { status });
        const result = await ctx.store.taskUpdate({ now: T0, id, changes: { name: 'n' } });
        expect(result).toMatchObject({ ok: true, task: { status, name: 'n' } });
      });
    }

    it('refuses a running or finished task and changes nothing', async () => {
      for (const status of ['running', 'completed', 'cancelled'] as const) {
        const { id } = await insertTask(ctx.store, { status, task: { queue: status } });
        const before = await snapshot(ctx.store, id);
        const result = await ctx.store.taskUpdate({
          now: T0 + HOUR,
          id,
          changes: { priority: 0, name: 'x', inputJson: '{}' },
        });
        expect(result).toEqual({ ok: false, reason: 'wrong_status', status });
        expect(await snapshot(ctx.store, id)).toEqual(before);
      }
      expect(
        await ctx.store.taskUpdate({ now: T0, id: 'no-such-task', changes: { priority: 0 } }),
      ).toEqual({ ok: false, reason: 'not_found' });
    });

    it('claims by the changed run-at and queue', async () => {
      const { id } = await insertTask(ctx.store, { status: 'queued' });
      await ctx.store.taskUpdate({ now: T0, id, changes: { runAt: T0 + HOUR } });
      expect(await claim(ctx.store, { now: T0 + MINUTE, limit: 5 })).toEqual([]);
      await ctx.store.taskUpdate({ now: T0, id, changes: { runAt: T0, queue: 'other' } });
      expect(await claim(ctx.store, { now: T0 + MINUTE, limit: 5, queues: ['default'] })).toEqual(
        [],
      );
      const [taken] = await claim(ctx.store, { now: T0 + MINUTE, limit: 5, queues: ['other'] });
      expect(taken?.task.id).toBe(id);
    });

    it('keeps the idempotency fingerprint: a replay of the first submit still finds the task', async () => {
      const first = newTask({ idempotencyKey: 'order-7', inputHash: 'h1' });
      await insertAll(ctx.store, [first]);
      await ctx.store.taskUpdate({ now: T0, id: first.id, changes: { inputJson: '{"n":9}' } });
      const replay = await ctx.store.taskInsert({
        now: T0 + SECOND,
        tasks: [newTask({ idempotencyKey: 'order-7', inputHash: 'h1' })],
      });
      expect(replay).toMatchObject({ ok: true, ids: [first.id], created: [false] });
    });
  });

  describe('taskSetStatus', () => {
    it('pauses a queued task: never claimed, nor counted as due, until resumed', async () => {
      const { id } = await insertTask(ctx.store, { status: 'queued' });
      const paused = await ctx.store.taskSetStatus({
        now: T0 + SECOND,
        id,
        to: 'paused',
        reason: 'hold for review',
      });
      expect(paused).toMatchObject({ ok: true, from: 'queued', task: { status: 'paused' } });
      expect(await claim(ctx.store, { now: T0 + MINUTE, limit: 5 })).toEqual([]);
      expect(await ctx.store.taskGetNextRunAt({ now: T0, types: [TYPE], queues: null })).toBeNull();

      const resumed = await ctx.store.taskSetStatus({
        now: T0 + MINUTE,
        id,
        to: 'queued',
        reason: 'reviewed',
      });
      expect(resumed).toMatchObject({ ok: true, from: 'paused', task: { status: 'queued' } });
      const [taken] = await claim(ctx.store, { now: T0 + MINUTE, limit: 5 });
      expect(taken?.task.id).toBe(id);
      const history = await ctx.store.historyList({ id });
      expect(history.map((h) => [h.from, h.to, h.reason])).toEqual([
        [null, 'queued', expect.anything()],
        ['queued', 'paused', 'hold for review'],
        ['paused', 'queued', 'reviewed'],
        ['queued', 'running', expect.anything()],
      ]);
    });

    it('pauses a retrying task; resumed, it still waits for its backoff', async () => {
      const retryAt = T0 + HOUR;
      const { id } = await insertTask(ctx.store, { status: 'retrying', retryAt });
      expect(
        await ctx.store.taskSetStatus({ now: T0 + SECOND, id, to: 'paused', reason: 'hold' }),
      ).toMatchObject({ ok: true, from: 'retrying' });
      expect(await claim(ctx.store, { now: retryAt + SECOND, limit: 5 })).toEqual([]);
      await ctx.store.taskSetStatus({ now: T0 + MINUTE, id, to: 'queued', reason: 'go' });
      expect(await mustGet(ctx.store, id)).toMatchObject({
        status: 'queued',
        runAt: new Date(retryAt),
      });
      expect(await claim(ctx.store, { now: T0 + 2 * MINUTE, limit: 5 })).toEqual([]);
      const [taken] = await claim(ctx.store, { now: retryAt, limit: 5 });
      expect(taken?.task.id).toBe(id);
    });

    it('refuses what the transition table or the operator rules forbid, and changes nothing', async () => {
      const cases = [
        ['running', 'paused'],
        ['completed', 'paused'],
        ['pending', 'paused'],
        ['queued', 'queued'],
        ['running', 'queued'],
        ['failed', 'queued'],
      ] as const;
      for (const [i, [status, to]] of cases.entries()) {
        // A queue each: a ready task left by one case is not claimed by the next.
        const { id } = await insertTask(ctx.store, { status, task: { queue: `q${i}` } });
        const before = await snapshot(ctx.store, id);
        const result = await ctx.store.taskSetStatus({ now: T0 + HOUR, id, to, reason: 'r' });
        expect(result).toEqual({ ok: false, reason: 'illegal_transition', from: status, to });
        expect(await snapshot(ctx.store, id)).toEqual(before);
      }
      expect(
        await ctx.store.taskSetStatus({ now: T0, id: 'no-such-task', to: 'paused', reason: 'r' }),
      ).toEqual({ ok: false, reason: 'not_found' });
    });
  });

  describe('wake-ups of taskSetStatus and taskUpdate across stores', () => {
    it('wakes another store when a resume or an update makes a task ready, not on a pause', async (t) => {
      if (!ctx.store.capabilities.listenNotify || harness.openPeer === undefined) {
        t.skip();
        return;
      }
      const peer = await harness.openPeer();
      const heard = wakeCounter(ctx.store);
      try {
        await heard.until(1, 'listening started');
        const { id } = await insertTask(peer, { status: 'queued', task: { runAt: T0 + HOUR } });
        await peer.taskSetStatus({ now: T0, id, to: 'paused', reason: 'hold' });
        await peer.taskSetStatus({ now: T0, id, to: 'queued', reason: 'go' });
        // Not ready yet (its run-at is ahead): no wake-up.
        await expect(heard.until(2, 'nothing', 300)).rejects.toThrow(/no wake-up/);
        await peer.taskUpdate({ now: T0, id, changes: { runAt: T0 } });
        await heard.until(2, 'an update that made the task ready');
        await peer.taskSetStatus({ now: T0, id, to: 'paused', reason: 'hold' });
        await peer.taskSetStatus({ now: T0, id, to: 'queued', reason: 'go' });
        await heard.until(3, 'a resume of a ready task');
      } finally {
        heard.unsubscribe();
        await peer.close();
      }
    });
  });

  describe('task names in claims', () => {
    it('carries the name in a claim, a limited queue claim and a settle round', async () => {
      const named = (n: number) => newTask({ name: `job ${n}`, runAt: T0 + n });
      const [first, second, third] = [named(1), named(2), named(3)];
      await insertAll(ctx.store, [first, second]);
      const [plain] = await claim(ctx.store, { now: T0 + 5, limit: 1 });
      expect(plain?.task.name).toBe('job 1');
      if (plain === undefined) throw new Error('nothing was claimed');
      const round = await ctx.store.taskSettleClaim({
        now: T0 + 10,
        workerId: WORKER_A,
        items: [settlementFor(plain)],
        claim: { limit: 1, types: [TYPE], queues: null, leaseMs: LEASE_MS },
      });
      expect(round.claimed.map((c) => c.task.name)).toEqual(['job 2']);
      await ctx.store.queueUpsert({ now: T0, name: 'default', concurrency: 5 });
      await insertAll(ctx.store, [third]);
      const [limited] = await claim(ctx.store, { now: T0 + 20, limit: 1 });
      expect(limited?.task.name).toBe('job 3');
    });
  });

  describe('taskList: names, numbered pages and totals', () => {
    it('returns the name and finds text in it', async () => {
      const named = newTask({ name: 'Rechnung März' });
      await insertAll(ctx.store, [named, newTask()]);
      const page = await ctx.store.taskList({
        filter: { search: 'rechnung mÄrz' },
        sort: 'createdAt',
        order: 'asc',
        limit: 10,
      });
      expect(page.tasks.map((t) => [t.id, t.name])).toEqual([[named.id, 'Rechnung März']]);
    });

    it('skips `offset` rows and counts every match when asked', async () => {
      const tasks = Array.from({ length: 7 }, (_, i) => newTask({ runAt: T0 + i }));
      await insertAll(ctx.store, [...tasks, newTask({ queue: 'other' })]);
      const base = {
        filter: { queue: ['default'] },
        sort: 'runAt' as const,
        order: 'asc' as const,
        limit: 3,
      };
      const second = await ctx.store.taskList({ ...base, offset: 3, total: true });
      expect(second.tasks.map((t) => t.id)).toEqual(tasks.slice(3, 6).map((t) => t.id));
      expect(second.total).toBe(7);
      const last = await ctx.store.taskList({ ...base, offset: 6, total: true });
      expect(last.tasks.map((t) => t.id)).toEqual([tasks[6]?.id]);
      expect(last.nextCursor).toBeNull();
      expect((await ctx.store.taskList(base)).total).toBeUndefined();
      const beyond = await ctx.store.taskList({ ...base, offset: 30, total: true });
      expect(beyond).toEqual({ tasks: [], nextCursor: null, total: 7 });
    });
  });
}

/** Counts a store's wake-up calls; `until` awaits the count with a deadline. */
function wakeCounter(store: Store) {
  let calls = 0;
  let waiting: { atLeast: number; resolve: () => void } | null = null;
  const unsubscribe = store.wakeupSubscribe?.({
    listener: () => {
      calls++;
      if (waiting !== null && calls >= waiting.atLeast) waiting.resolve();
    },
  });
  if (unsubscribe === undefined) throw new Error('listenNotify without wakeupSubscribe');
  return {
    unsubscribe,
    async until(atLeast: number, what: string, timeoutMs = 5_000): Promise<void> {
      if (calls >= atLeast) return;
      let timer: NodeJS.Timeout | undefined;
      try {
        await new Promise<void>((resolve, reject) => {
          waiting = { atLeast, resolve };
          timer = setTimeout(
            () => reject(new Error(`no wake-up within ${timeoutMs} ms: ${what}`)),
            timeoutMs,
          );
        });
      } finally {
        clearTimeout(timer);
        waiting = null;
      }
    },
  };
}
