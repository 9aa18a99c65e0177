import { describe, expect, it } from 'vitest';
import type { ClaimedTask, Settlement } from '../contract.ts';
import type { ConformanceContext } from './context.ts';
import {
  claim,
  insertAll,
  LEASE_MS,
  MINUTE,
  mustGet,
  newTask,
  recoveryFor,
  SAMPLE_ERROR,
  SECOND,
  SWEEPER,
  settlementFor,
  snapshot,
  T0,
  WORKER_A,
  WORKER_B,
} from './factories.ts';

/** `Settlement.unstarted`: a task held ahead and given back before its handler ran. */
export function settleUnstartedTests(ctx: ConformanceContext): void {
  async function claimOne(now: number, workerId = WORKER_A): Promise<ClaimedTask> {
    const [claimed] = await claim(ctx.store, { now, workerId, limit: 1 });
    if (claimed === undefined) throw new Error('nothing was claimed');
    return claimed;
  }

  async function settle(now: number, items: Settlement[], workerId = WORKER_A) {
    return ctx.store.taskSettle({ now, workerId, items });
  }

  describe('taskSettle of an unstarted attempt (held ahead, never run)', () => {
    const giveBack = (c: ClaimedTask) =>
      settlementFor(c, {
        to: 'queued',
        outcome: 'released',
        reason: 'given back',
        unstarted: true,
      });

    it('undoes the claim: queued again, with attempt, history and executions as before it', async () => {
      const [task] = await insertAll(ctx.store, [newTask()]);
      const id = task as string;
      const before = await snapshot(ctx.store, id);
      const claimed = await claimOne(T0 + SECOND);
      expect(await settle(T0 + 2 * SECOND, [giveBack(claimed)])).toEqual([
        { ok: true, from: 'running', to: 'queued' },
      ]);
      const after = await snapshot(ctx.store, id);
      expect(after.history).toEqual(before.history);
      expect(after.executions).toEqual([]);
      expect(after.task).toMatchObject({
        status: 'queued',
        attempt: 0,
        startedAt: null,
        workerId: null,
        leaseExpiresAt: null,
      });
      const again = await claimOne(T0 + 3 * SECOND, WORKER_B);
      expect(again.task.attempt).toBe(1);
      expect((await ctx.store.historyList({ id })).map((h) => [h.id, h.to])).toEqual([
        [1, 'queued'],
        [2, 'running'],
      ]);
    });

    it('puts a retrying task back in retrying, its earlier attempt kept', async () => {
      await insertAll(ctx.store, [newTask()]);
      const first = await claimOne(T0);
      const retryAt = T0 + MINUTE;
      await settle(T0 + SECOND, [
        settlementFor(first, {
          to: 'retrying',
          outcome: 'failed',
          error: SAMPLE_ERROR,
          runAt: retryAt,
          reason: 'retry later',
        }),
      ]);
      const before = await snapshot(ctx.store, first.task.id);
      const second = await claimOne(retryAt + 1);
      expect(await settle(retryAt + 2, [giveBack(second)])).toEqual([
        { ok: true, from: 'running', to: 'retrying' },
      ]);
      const after = await snapshot(ctx.store, first.task.id);
      expect(after.history).toEqual(before.history);
      expect(after.executions).toEqual(before.executions);
      expect(after.task).toMatchObject({
        status: 'retrying',
        attempt: 1,
        runAt: new Date(retryAt),
        error: SAMPLE_ERROR,
      });
    });

    it('keeps the crash count (the task did not end)', async () => {
      await insertAll(ctx.store, [newTask()]);
      const held = await claimOne(T0);
      await settle(
        T0 + LEASE_MS + 1,
        [recoveryFor({ id: held.task.id, token: held.leaseToken })],
        SWEEPER,
      );
      const claimed = await claimOne(T0 + LEASE_MS + 2);
      await settle(T0 + LEASE_MS + 3, [giveBack(claimed)]);
      expect((await mustGet(ctx.store, claimed.task.id)).crashCount).toBe(1);
    });
  });
}
