import { describe, expect, it } from 'vitest';
import { RELEASE_REASON } from '../../core/follow-ups.ts';
import type { ClaimedTask, Settlement } from '../contract.ts';
import type { ConformanceContext } from './context.ts';
import {
  claim,
  claimedIds,
  insertAll,
  MINUTE,
  mustGet,
  newTask,
  SAMPLE_ERROR,
  SECOND,
  settlementFor,
  snapshot,
  T0,
  WORKER_A,
} from './factories.ts';

/**
 * Dependencies (`NewTask.dependsOn`) and the settle follow-ups of src/core/follow-ups.ts: each
 * rule once, on every adapter.
 */
export function followUpTests(ctx: ConformanceContext): void {
  async function claimIds(ids: readonly string[], now = T0): Promise<ClaimedTask[]> {
    const claimed = await claim(ctx.store, { now, limit: 100 });
    expect(claimedIds(claimed).sort()).toEqual([...ids].sort());
    return claimed;
  }

  async function settle(now: number, items: Settlement[]) {
    return ctx.store.taskSettle({ now, workerId: WORKER_A, items });
  }

  const fail = (c: ClaimedTask) =>
    settlementFor(c, { to: 'failed', outcome: 'failed', error: SAMPLE_ERROR, reason: 'failed' });

  describe('taskInsert with dependsOn', () => {
    it('waits in pending while a dependency has not completed, and is not claimed', async () => {
      const parent = newTask();
      const child = newTask({ dependsOn: [parent.id] });
      const result = await ctx.store.taskInsert({ now: T0, tasks: [parent, child] });
      expect(result).toEqual({
        ok: true,
        ids: [parent.id, child.id],
        created: [true, true],
        pending: [false, true],
      });
      expect(await mustGet(ctx.store, child.id)).toMatchObject({ status: 'pending' });
      expect((await ctx.store.historyList({ id: child.id })).map((h) => h.to)).toEqual(['pending']);
      await claimIds([parent.id]);
    });

    it('is queued at once when every dependency has completed already', async () => {
      const parent = newTask();
      await insertAll(ctx.store, [parent]);
      const [claimed] = await claimIds([parent.id]);
      await settle(T0 + SECOND, [settlementFor(claimed as ClaimedTask)]);
      const child = newTask({ dependsOn: [parent.id] });
      const result = await ctx.store.taskInsert({ now: T0 + 2 * SECOND, tasks: [child] });
      expect(result).toMatchObject({ ok: true, pending: [false] });
      expect((await mustGet(ctx.store, child.id)).status).toBe('queued');
    });

    it('refuses a dependency that does not exist or comes later in the batch, writing nothing', async () => {
      const missing = newTask({ dependsOn: ['0190a000-0000-7000-8000-00000000dead'] });
      expect(await ctx.store.taskInsert({ now: T0, tasks: [newTask(), missing] })).toEqual({
        ok: false,
        reason: 'dependency_not_found',
        index: 1,
        dependsOn: '0190a000-0000-7000-8000-00000000dead',
      });
      const later = newTask();
      const early = newTask({ dependsOn: [later.id] });
      expect(await ctx.store.taskInsert({ now: T0, tasks: [early, later] })).toEqual({
        ok: false,
        reason: 'dependency_not_found',
        index: 0,
        dependsOn: later.id,
      });
      expect(
        (await ctx.store.taskList({ filter: {}, sort: 'createdAt', order: 'asc', limit: 10 }))
          .tasks,
      ).toEqual([]);
    });

    it('refuses a dependency that ended without completing, writing nothing', async () => {
      const parent = newTask();
      await insertAll(ctx.store, [parent]);
      const [claimed] = await claimIds([parent.id]);
      await settle(T0 + SECOND, [fail(claimed as ClaimedTask)]);
      const child = newTask({ dependsOn: [parent.id] });
      expect(await ctx.store.taskInsert({ now: T0 + 2 * SECOND, tasks: [child] })).toEqual({
        ok: false,
        reason: 'dependency_failed',
        index: 0,
        dependsOn: parent.id,
        status: 'failed',
      });
      expect(await ctx.store.taskGet({ id: child.id })).toBeNull();
    });
  });

  describe('release-dependents: a completion queues the dependents it was the last wait of', () => {
    it('queues a dependent when its last dependency completes, not before', async () => {
      const [a, b] = [newTask(), newTask()];
      const child = newTask({ dependsOn: [a.id, b.id] });
      await insertAll(ctx.store, [a, b, child]);
      const claimed = await claimIds([a.id, b.id]);
      const byId = new Map(claimed.map((c) => [c.task.id, c]));
      await settle(T0 + SECOND, [settlementFor(byId.get(a.id) as ClaimedTask)]);
      expect((await mustGet(ctx.store, child.id)).status).toBe('pending');
      await settle(T0 + 2 * SECOND, [settlementFor(byId.get(b.id) as ClaimedTask)]);
      expect((await mustGet(ctx.store, child.id)).status).toBe('queued');
      expect((await ctx.store.historyList({ id: child.id })).at(-1)).toMatchObject({
        from: 'pending',
        to: 'queued',
        at: new Date(T0 + 2 * SECOND),
        reason: RELEASE_REASON,
      });
      await claimIds([child.id], T0 + 3 * SECOND);
    });

    it('leaves dependents pending while a dependency retries, and releases them when it completes', async () => {
      const parent = newTask();
      const child = newTask({ dependsOn: [parent.id] });
      await insertAll(ctx.store, [parent, child]);
      const [first] = await claimIds([parent.id]);
      await settle(T0 + SECOND, [
        settlementFor(first as ClaimedTask, {
          to: 'retrying',
          outcome: 'failed',
          error: SAMPLE_ERROR,
          runAt: T0 + MINUTE,
          reason: 'retry',
        }),
      ]);
      expect((await mustGet(ctx.store, child.id)).status).toBe('pending');
      const [second] = await claimIds([parent.id], T0 + MINUTE);
      await settle(T0 + MINUTE + 1, [settlementFor(second as ClaimedTask)]);
      expect((await mustGet(ctx.store, child.id)).status).toBe('queued');
    });
  });

  describe('end-dependents: a task that ends without completing ends its pending dependents', () => {
    it('fails the dependents of a failed task, down the chain, with DEPENDENCY_FAILED', async () => {
      const parent = newTask();
      const child = newTask({ dependsOn: [parent.id] });
      const grandchild = newTask({ dependsOn: [child.id] });
      await insertAll(ctx.store, [parent, child, grandchild]);
      const [claimed] = await claimIds([parent.id]);
      await settle(T0 + SECOND, [fail(claimed as ClaimedTask)]);
      for (const id of [child.id, grandchild.id]) {
        expect(await mustGet(ctx.store, id)).toMatchObject({
          status: 'failed',
          finishedAt: new Date(T0 + SECOND),
          error: { code: 'DEPENDENCY_FAILED', retryable: false },
        });
        expect((await ctx.store.historyList({ id })).at(-1)).toMatchObject({
          from: 'pending',
          to: 'failed',
          reason: `dependency ${parent.id} ended failed`,
        });
      }
    });

    it('cancels the dependents of a cancelled task', async () => {
      const parent = newTask();
      const child = newTask({ dependsOn: [parent.id] });
      await insertAll(ctx.store, [parent, child]);
      const result = await ctx.store.taskCancel({ now: T0 + SECOND, id: parent.id, reason: 'no' });
      expect(result.ok).toBe(true);
      expect(await mustGet(ctx.store, child.id)).toMatchObject({ status: 'cancelled' });
      expect((await ctx.store.historyList({ id: child.id })).at(-1)).toMatchObject({
        from: 'pending',
        to: 'cancelled',
        reason: `dependency ${parent.id} ended cancelled`,
      });
    });
  });

  describe('follow-ups commit with their settlement, or not at all', () => {
    it('changes neither the task nor its dependents on a settlement whose lease is lost', async () => {
      const parent = newTask();
      const child = newTask({ dependsOn: [parent.id] });
      await insertAll(ctx.store, [parent, child]);
      const [claimed] = await claimIds([parent.id]);
      const before = [await snapshot(ctx.store, parent.id), await snapshot(ctx.store, child.id)];
      const forged = settlementFor(claimed as ClaimedTask, { token: 'not-the-token' });
      expect(await settle(T0 + SECOND, [forged])).toEqual([{ ok: false, reason: 'lease_lost' }]);
      expect([await snapshot(ctx.store, parent.id), await snapshot(ctx.store, child.id)]).toEqual(
        before,
      );
    });

    it('releases every dependent when completions and new dependents race', async () => {
      const parents = Array.from({ length: 20 }, () => newTask());
      await insertAll(ctx.store, parents);
      const claimed = await claimIds(parents.map((p) => p.id));
      const children = parents.map((p) => newTask({ dependsOn: [p.id] }));
      // Each completion races the insert of the task that depends on it.
      await Promise.all(
        claimed.flatMap((c, i) => [
          settle(T0 + SECOND, [settlementFor(c)]),
          ctx.store.taskInsert({
            now: T0 + SECOND,
            tasks: [children[i] as ReturnType<typeof newTask>],
          }),
        ]),
      );
      for (const c of children) expect((await mustGet(ctx.store, c.id)).status).toBe('queued');
    });
  });
}
