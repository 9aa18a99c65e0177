import { describe, expect, it } from 'vitest';
import type { ClaimedTask } from '../contract.ts';
import type { ConformanceContext } from './context.ts';
import {
  claim,
  insertAll,
  insertTask,
  LEASE_MS,
  MINUTE,
  mustGet,
  newTask,
  recoveryFor,
  SECOND,
  SWEEPER,
  settlementFor,
  snapshot,
  T0,
  WORKER_A,
  WORKER_B,
} from './factories.ts';

export function leaseTests(ctx: ConformanceContext): void {
  async function claimOne(now: number, workerId = WORKER_A, leaseMs = LEASE_MS) {
    const [claimed] = await claim(ctx.store, { now, workerId, limit: 1, leaseMs });
    if (claimed === undefined) throw new Error('nothing was claimed');
    return claimed;
  }

  const refOf = (c: ClaimedTask) => ({ id: c.task.id, token: c.leaseToken });

  describe('leaseRenew', () => {
    it('extends the lease to now + leaseMs', async () => {
      await insertAll(ctx.store, [newTask()]);
      const claimed = await claimOne(T0);
      const renewed = await ctx.store.leaseRenew({
        now: T0 + 20 * SECOND,
        workerId: WORKER_A,
        leaseMs: LEASE_MS,
        leases: [refOf(claimed)],
      });
      expect(renewed).toEqual({ lost: [], cancelRequested: [] });
      expect((await mustGet(ctx.store, claimed.task.id)).leaseExpiresAt).toEqual(
        new Date(T0 + 20 * SECOND + LEASE_MS),
      );
      // Past the first expiry, the renewed lease still holds.
      expect(await ctx.store.leaseListExpired({ now: T0 + LEASE_MS + SECOND, limit: 10 })).toEqual(
        [],
      );
    });

    it('reports a stale token as lost and leaves the lease alone', async () => {
      await insertAll(ctx.store, [newTask(), newTask()]);
      const good = await claimOne(T0);
      const other = await claimOne(T0);
      const renewed = await ctx.store.leaseRenew({
        now: T0 + 10 * SECOND,
        workerId: WORKER_A,
        leaseMs: LEASE_MS,
        leases: [refOf(good), { id: other.task.id, token: 'stale' }],
      });
      expect(renewed).toEqual({ lost: [other.task.id], cancelRequested: [] });
      expect((await mustGet(ctx.store, other.task.id)).leaseExpiresAt).toEqual(
        new Date(T0 + LEASE_MS),
      );
      expect((await mustGet(ctx.store, good.task.id)).leaseExpiresAt).toEqual(
        new Date(T0 + 10 * SECOND + LEASE_MS),
      );
    });

    it('reports a task that is no longer running as lost', async () => {
      const done = await insertTask(ctx.store, { status: 'completed' });
      if (done.claim === null) throw new Error('the factory returned no claim');
      const renewed = await ctx.store.leaseRenew({
        now: T0 + SECOND,
        workerId: WORKER_A,
        leaseMs: LEASE_MS,
        leases: [refOf(done.claim)],
      });
      expect(renewed.lost).toEqual([done.id]);
    });
  });

  describe('leaseListExpired', () => {
    it('lists only running tasks whose lease ran out, oldest first', async () => {
      const short = await insertTask(ctx.store, {
        status: 'running',
        leaseMs: 10 * SECOND,
        task: { type: 'short', maxAttempts: 4 },
        workerId: WORKER_A,
      });
      const shorter = await insertTask(ctx.store, {
        status: 'running',
        leaseMs: 5 * SECOND,
        task: { type: 'shorter', queue: 'other' },
        workerId: WORKER_B,
      });
      await insertTask(ctx.store, {
        status: 'running',
        leaseMs: 5 * MINUTE,
        task: { type: 'long' },
      });
      await insertTask(ctx.store, { status: 'queued', task: { type: 'waiting' } });
      await insertTask(ctx.store, { status: 'completed', task: { type: 'done' } });

      expect(await ctx.store.leaseListExpired({ now: T0 + 4 * SECOND, limit: 10 })).toEqual([]);
      const expired = await ctx.store.leaseListExpired({ now: T0 + MINUTE, limit: 10 });
      expect(expired).toMatchObject([
        {
          id: shorter.id,
          token: shorter.claim?.leaseToken,
          type: 'shorter',
          queue: 'other',
          attempt: 1,
          maxAttempts: 3,
          crashCount: 0,
          cancelRequested: false,
          workerId: WORKER_B,
        },
        {
          id: short.id,
          token: short.claim?.leaseToken,
          type: 'short',
          queue: 'default',
          attempt: 1,
          maxAttempts: 4,
          crashCount: 0,
          cancelRequested: false,
          workerId: WORKER_A,
        },
      ]);
      expect(await ctx.store.leaseListExpired({ now: T0 + MINUTE, limit: 1 })).toHaveLength(1);
    });

    it('shows a cancel request on an expired lease', async () => {
      const running = await insertTask(ctx.store, { status: 'running' });
      await ctx.store.taskCancel({ now: T0 + SECOND, id: running.id, reason: 'user asked' });
      const [expired] = await ctx.store.leaseListExpired({
        now: T0 + LEASE_MS + SECOND,
        limit: 10,
      });
      expect(expired).toMatchObject({ id: running.id, cancelRequested: true });
    });

    it('lets exactly one of two sweepers recover the same lease', async () => {
      const running = await insertTask(ctx.store, { status: 'running' });
      const now = T0 + LEASE_MS + SECOND;
      const [lease] = await ctx.store.leaseListExpired({ now, limit: 10 });
      if (lease === undefined) throw new Error('the lease was not listed as expired');

      const [one, two] = await Promise.all([
        ctx.store.taskSettle({ now, workerId: 'sweeper-1', items: [recoveryFor(lease)] }),
        ctx.store.taskSettle({ now, workerId: 'sweeper-2', items: [recoveryFor(lease)] }),
      ]);
      const oks = [...one, ...two].filter((r) => r.ok);
      expect(oks).toHaveLength(1);

      const late = await ctx.store.taskSettle({
        now: now + SECOND,
        workerId: 'sweeper-3',
        items: [recoveryFor(lease)],
      });
      expect(late).toEqual([{ ok: false, reason: 'lease_lost' }]);
      expect(await mustGet(ctx.store, running.id)).toMatchObject({
        status: 'queued',
        crashCount: 1,
      });
      expect(await ctx.store.leaseListExpired({ now, limit: 10 })).toEqual([]);
    });
  });

  describe('after a lease is recovered', () => {
    it("rejects every write of the old worker, and keeps the new worker's", async () => {
      await insertAll(ctx.store, [newTask()]);
      const old = await claimOne(T0, WORKER_A);
      const recoveredAt = T0 + LEASE_MS + SECOND;
      const [recovered] = await ctx.store.taskSettle({
        now: recoveredAt,
        workerId: SWEEPER,
        items: [recoveryFor(refOf(old))],
      });
      expect(recovered?.ok).toBe(true);
      const current = await claimOne(recoveredAt + SECOND, WORKER_B);
      const id = current.task.id;
      const before = await snapshot(ctx.store, id);
      const now = recoveredAt + 2 * SECOND;

      expect(
        await ctx.store.taskSetProgress({
          now,
          items: [{ id, token: old.leaseToken, percent: 90, message: 'late' }],
        }),
      ).toEqual({ lost: [id] });
      expect(
        await ctx.store.logInsert({
          now,
          items: [{ taskId: id, token: old.leaseToken, attempt: 1, level: 'info', message: 'x' }],
        }),
      ).toEqual({ lost: [id] });
      expect(
        await ctx.store.artifactInsert({
          now,
          token: old.leaseToken,
          artifact: {
            id: 'artifact-late',
            taskId: id,
            attempt: 1,
            name: 'late.txt',
            path: `${id}/late.txt`,
            size: 4,
            sha256: 'a'.repeat(64),
          },
        }),
      ).toEqual({ ok: false, reason: 'lease_lost' });
      expect(
        await ctx.store.leaseRenew({
          now,
          workerId: WORKER_A,
          leaseMs: LEASE_MS,
          leases: [refOf(old)],
        }),
      ).toEqual({ lost: [id], cancelRequested: [] });
      expect(
        await ctx.store.taskSettle({
          now,
          workerId: WORKER_A,
          items: [settlementFor(old, { output: 'late result' })],
        }),
      ).toEqual([{ ok: false, reason: 'lease_lost' }]);

      expect(await snapshot(ctx.store, id)).toEqual(before);
      expect(await ctx.store.logList({ taskId: id })).toEqual([]);
      expect(await ctx.store.artifactList({ taskId: id })).toEqual([]);

      const [mine] = await ctx.store.taskSettle({
        now: now + SECOND,
        workerId: WORKER_B,
        items: [settlementFor(current, { output: 'fresh result' })],
      });
      expect(mine?.ok).toBe(true);
      expect((await mustGet(ctx.store, id)).output).toBe('fresh result');
    });
  });
}
