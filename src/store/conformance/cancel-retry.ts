import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './context.ts';
import {
  claim,
  claimedIds,
  insertTask,
  LEASE_MS,
  MINUTE,
  mustGet,
  newTask,
  SECOND,
  settlementFor,
  snapshot,
  T0,
  WORKER_A,
} from './factories.ts';

export function cancelRetryTests(ctx: ConformanceContext): void {
  describe('taskCancel', () => {
    for (const status of ['queued', 'paused', 'pending', 'retrying'] as const) {
      it(`cancels a ${status} task at once and records why`, async () => {
        const { id } = await insertTask(ctx.store, { status });
        const now = T0 + MINUTE;
        const result = await ctx.store.taskCancel({ now, id, reason: 'user asked' });
        expect(result).toMatchObject({ ok: true, from: status, immediate: true });
        if (!result.ok) return;
        expect(result.task).toMatchObject({ id, status: 'cancelled' });

        expect(await mustGet(ctx.store, id)).toMatchObject({
          status: 'cancelled',
          finishedAt: new Date(now),
        });
        expect((await ctx.store.historyList({ id })).at(-1)).toMatchObject({
          from: status,
          to: 'cancelled',
          at: new Date(now),
          reason: 'user asked',
        });
        expect(await claim(ctx.store, { now: now + 2 * MINUTE })).toEqual([]);
      });
    }

    it('asks the worker to stop a running task, which stays running until it settles', async () => {
      const running = await insertTask(ctx.store, { status: 'running' });
      const lease = running.claim;
      if (lease === null) throw new Error('the factory returned no claim');
      const historyBefore = await ctx.store.historyList({ id: running.id });

      const result = await ctx.store.taskCancel({
        now: T0 + SECOND,
        id: running.id,
        reason: 'user asked',
      });
      expect(result).toMatchObject({ ok: true, from: 'running' });
      expect(result.immediate).not.toBe(true);
      expect(await mustGet(ctx.store, running.id)).toMatchObject({
        status: 'running',
        cancelRequested: true,
        workerId: WORKER_A,
      });
      expect(await ctx.store.historyList({ id: running.id })).toEqual(historyBefore);

      const renewed = await ctx.store.leaseRenew({
        now: T0 + 2 * SECOND,
        workerId: WORKER_A,
        leaseMs: LEASE_MS,
        leases: [{ id: running.id, token: lease.leaseToken }],
      });
      expect(renewed).toEqual({ lost: [], cancelRequested: [running.id] });

      const [settled] = await ctx.store.taskSettle({
        now: T0 + 3 * SECOND,
        workerId: WORKER_A,
        items: [settlementFor(lease, { to: 'cancelled', outcome: 'cancelled', reason: 'aborted' })],
      });
      expect(settled).toEqual({ ok: true, from: 'running', to: 'cancelled' });
      expect((await mustGet(ctx.store, running.id)).status).toBe('cancelled');
    });

    for (const status of ['completed', 'failed', 'cancelled'] as const) {
      it(`refuses to cancel a ${status} task and changes nothing`, async () => {
        const { id } = await insertTask(ctx.store, { status });
        const before = await snapshot(ctx.store, id);
        const result = await ctx.store.taskCancel({ now: T0 + MINUTE, id, reason: 'too late' });
        expect(result).toMatchObject({
          ok: false,
          reason: 'illegal_transition',
          from: status,
          to: 'cancelled',
        });
        expect(await snapshot(ctx.store, id)).toEqual(before);
      });
    }

    it('reports an unknown id as not_found', async () => {
      const result = await ctx.store.taskCancel({ now: T0, id: newTask().id, reason: 'x' });
      expect(result).toMatchObject({ ok: false, reason: 'not_found' });
    });
  });

  describe('taskRetry', () => {
    for (const status of ['failed', 'timed_out', 'cancelled'] as const) {
      it(`starts a ${status} task over: queued, attempt 0, claimable`, async () => {
        const { id } = await insertTask(ctx.store, { status, task: { maxAttempts: 2 } });
        const now = T0 + MINUTE;
        const result = await ctx.store.taskRetry({ now, id });
        expect(result).toMatchObject({ ok: true, from: status });
        if (!result.ok) return;
        expect(result.task).toMatchObject({ id, status: 'queued', attempt: 0, maxAttempts: 2 });
        expect(await mustGet(ctx.store, id)).toMatchObject({
          status: 'queued',
          attempt: 0,
          workerId: null,
          leaseExpiresAt: null,
          cancelRequested: false,
        });
        expect((await ctx.store.historyList({ id })).at(-1)).toMatchObject({
          from: status,
          to: 'queued',
          at: new Date(now),
        });

        const [again] = await claim(ctx.store, { now });
        expect(again?.task).toMatchObject({ id, status: 'running', attempt: 1 });
      });
    }

    it('takes a new maxAttempts when given one', async () => {
      const { id } = await insertTask(ctx.store, { status: 'failed', task: { maxAttempts: 1 } });
      const result = await ctx.store.taskRetry({ now: T0 + MINUTE, id, maxAttempts: 5 });
      expect(result.ok).toBe(true);
      expect((await mustGet(ctx.store, id)).maxAttempts).toBe(5);
    });

    for (const status of ['completed', 'queued', 'running'] as const) {
      it(`refuses to retry a ${status} task and changes nothing`, async () => {
        const { id } = await insertTask(ctx.store, { status });
        const before = await snapshot(ctx.store, id);
        const result = await ctx.store.taskRetry({ now: T0 + MINUTE, id });
        expect(result).toEqual({
          ok: false,
          reason: 'illegal_transition',
          from: status,
          to: 'queued',
        });
        expect(await snapshot(ctx.store, id)).toEqual(before);
      });
    }

    it('reports an unknown id as not_found', async () => {
      expect(await ctx.store.taskRetry({ now: T0, id: newTask().id })).toEqual({
        ok: false,
        reason: 'not_found',
      });
    });

    it('retries only the task asked for', async () => {
      const failed = await insertTask(ctx.store, { status: 'failed', task: { type: 'x' } });
      const other = await insertTask(ctx.store, { status: 'failed', task: { type: 'y' } });
      await ctx.store.taskRetry({ now: T0 + MINUTE, id: failed.id });
      const claimed = await claim(ctx.store, { now: T0 + MINUTE, types: ['x', 'y'] });
      expect(claimedIds(claimed)).toEqual([failed.id]);
      expect((await mustGet(ctx.store, other.id)).status).toBe('failed');
    });
  });
}
