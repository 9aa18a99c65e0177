import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './context.ts';
import {
  claim,
  claimedIds,
  insertAll,
  insertTask,
  LEASE_MS,
  MINUTE,
  mustGet,
  newTask,
  nth,
  SECOND,
  sorted,
  T0,
  WORKER_A,
  WORKER_B,
} from './factories.ts';

export function claimTests(ctx: ConformanceContext): void {
  describe('taskClaim order and selection', () => {
    it('takes critical before high before normal before low', async () => {
      const byLevel = [3, 2, 1, 0].map((priority) => newTask({ priority }));
      await insertAll(ctx.store, byLevel);

      const order: string[] = [];
      for (let i = 0; i < 4; i++)
        order.push(...claimedIds(await claim(ctx.store, { now: T0, limit: 1 })));
      expect(order).toEqual([...byLevel].reverse().map((t) => t.id));
    });

    it('takes the most urgent tasks when the limit is below what is ready', async () => {
      const low = newTask({ priority: 3 });
      const critical = newTask({ priority: 0 });
      const normal = newTask({ priority: 2 });
      await insertAll(ctx.store, [low, critical, normal]);
      const claimed = await claim(ctx.store, { now: T0, limit: 2 });
      expect(sorted(claimedIds(claimed))).toEqual(sorted([critical.id, normal.id]));
    });

    it('is FIFO within a priority: by runAt, then by id', async () => {
      // Ids are time-ordered, so `first` has the smallest id; runAt decides before the id does.
      const first = newTask({ runAt: T0 + 2 * SECOND });
      const second = newTask({ runAt: T0 + SECOND });
      const third = newTask({ runAt: T0 + SECOND });
      await insertAll(ctx.store, [third, first, second]);

      const order: string[] = [];
      for (let i = 0; i < 3; i++) {
        order.push(...claimedIds(await claim(ctx.store, { now: T0 + MINUTE, limit: 1 })));
      }
      expect(order).toEqual([second.id, third.id, first.id]);
    });

    it('does not take a task before its runAt has passed', async () => {
      const later = newTask({ runAt: T0 + MINUTE });
      await insertAll(ctx.store, [later]);
      expect(await claim(ctx.store, { now: T0 })).toEqual([]);
      expect(await claim(ctx.store, { now: T0 + MINUTE - 1 })).toEqual([]);
      expect(claimedIds(await claim(ctx.store, { now: T0 + MINUTE + 1 }))).toEqual([later.id]);
    });

    it('takes at most `limit` tasks', async () => {
      await insertAll(
        ctx.store,
        Array.from({ length: 5 }, () => newTask()),
      );
      expect(await claim(ctx.store, { now: T0, limit: 3 })).toHaveLength(3);
      expect(await claim(ctx.store, { now: T0, limit: 3 })).toHaveLength(2);
      expect(await claim(ctx.store, { now: T0, limit: 3 })).toHaveLength(0);
    });

    it('takes only the listed types', async () => {
      const email = newTask({ type: 'email.send' });
      const resize = newTask({ type: 'image.resize' });
      const other = newTask({ type: 'other.kind' });
      await insertAll(ctx.store, [email, resize, other]);
      const claimed = await claim(ctx.store, { now: T0, types: ['email.send', 'image.resize'] });
      expect(sorted(claimedIds(claimed))).toEqual(sorted([email.id, resize.id]));
      expect((await mustGet(ctx.store, other.id)).status).toBe('queued');
    });

    it('takes only the listed queues, and every queue for null', async () => {
      const q1 = newTask({ queue: 'q1' });
      const q2 = newTask({ queue: 'q2' });
      const q3 = newTask({ queue: 'q3' });
      await insertAll(ctx.store, [q1, q2, q3]);
      const listed = await claim(ctx.store, { now: T0, queues: ['q1', 'q3'] });
      expect(sorted(claimedIds(listed))).toEqual(sorted([q1.id, q3.id]));
      expect(claimedIds(await claim(ctx.store, { now: T0, queues: null }))).toEqual([q2.id]);
    });

    it('skips pending and paused tasks', async () => {
      await insertAll(ctx.store, [newTask({ status: 'pending' }), newTask({ status: 'paused' })]);
      expect(await claim(ctx.store, { now: T0 + MINUTE })).toEqual([]);
    });
  });

  describe('taskClaim result', () => {
    it('starts the attempt: running, attempt 1, worker, lease, token and execution', async () => {
      const task = newTask({ maxAttempts: 4 });
      await insertAll(ctx.store, [task], T0);
      const now = T0 + 10 * SECOND;
      const [claimed] = await claim(ctx.store, { now, workerId: WORKER_A, leaseMs: LEASE_MS });
      if (claimed === undefined) throw new Error('nothing was claimed');

      expect(claimed.previousStatus).toBe('queued');
      expect(claimed.leaseToken).toEqual(expect.any(String));
      expect(claimed.leaseToken.length).toBeGreaterThan(0);
      expect(claimed.executionId).toEqual(expect.any(String));
      const expected = {
        id: task.id,
        status: 'running',
        attempt: 1,
        maxAttempts: 4,
        workerId: WORKER_A,
        leaseExpiresAt: new Date(now + LEASE_MS),
        startedAt: new Date(now),
        finishedAt: null,
        cancelRequested: false,
        input: task.input,
      };
      expect(claimed.task).toMatchObject(expected);
      expect(await mustGet(ctx.store, task.id)).toMatchObject(expected);

      expect(await ctx.store.executionList({ taskId: task.id })).toEqual([
        {
          id: claimed.executionId,
          taskId: task.id,
          attempt: 1,
          workerId: WORKER_A,
          startedAt: new Date(now),
          finishedAt: null,
          outcome: null,
          error: null,
          metrics: null,
        },
      ]);
    });

    it('gives every claim its own token and execution id', async () => {
      await insertAll(
        ctx.store,
        Array.from({ length: 3 }, () => newTask()),
      );
      const claimed = await claim(ctx.store, { now: T0 });
      expect(new Set(claimed.map((c) => c.leaseToken)).size).toBe(3);
      expect(new Set(claimed.map((c) => c.executionId)).size).toBe(3);
    });

    it('records queued → running with the worker in the history', async () => {
      const task = newTask();
      await insertAll(ctx.store, [task], T0);
      await claim(ctx.store, { now: T0 + SECOND, workerId: WORKER_B });
      const history = await ctx.store.historyList({ id: task.id });
      expect(history).toHaveLength(2);
      expect(nth(history, 1)).toMatchObject({
        taskId: task.id,
        from: 'queued',
        to: 'running',
        at: new Date(T0 + SECOND),
        workerId: WORKER_B,
      });
      expect(nth(history, 1).id).toBeGreaterThan(nth(history, 0).id);
    });
  });

  describe('taskClaim exclusivity', () => {
    it('never hands a leased task to anyone else, even after the lease ran out', async () => {
      const task = newTask();
      await insertAll(ctx.store, [task]);
      await claim(ctx.store, { now: T0, workerId: WORKER_A, leaseMs: LEASE_MS });
      expect(await claim(ctx.store, { now: T0 + 1, workerId: WORKER_B })).toEqual([]);
      expect(await claim(ctx.store, { now: T0 + LEASE_MS - 1, workerId: WORKER_A })).toEqual([]);
      // An expired lease is recovered by a sweeper (leaseListExpired + taskSettle), not by a claim.
      expect(await claim(ctx.store, { now: T0 + 10 * LEASE_MS, workerId: WORKER_B })).toEqual([]);
      expect((await mustGet(ctx.store, task.id)).workerId).toBe(WORKER_A);
    });

    it('hands each task to one of several concurrent claims', async () => {
      await insertAll(
        ctx.store,
        Array.from({ length: 10 }, () => newTask()),
      );
      const batches = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          claim(ctx.store, { now: T0, workerId: `worker-${i}`, limit: 3 }),
        ),
      );
      const all = batches.flatMap(claimedIds);
      expect(new Set(all).size).toBe(all.length);
      expect(all.length).toBeLessThanOrEqual(10);
    });

    it('takes a retrying task once its runAt has passed, as attempt 2 with a new token', async () => {
      const retryAt = T0 + MINUTE;
      const first = await insertTask(ctx.store, { status: 'retrying', retryAt });
      expect(first.task).toMatchObject({ status: 'retrying', runAt: new Date(retryAt) });

      expect(await claim(ctx.store, { now: retryAt - SECOND, workerId: WORKER_B })).toEqual([]);
      const [again] = await claim(ctx.store, { now: retryAt + SECOND, workerId: WORKER_B });
      if (again === undefined) throw new Error('the retrying task was not claimed');
      expect(again.previousStatus).toBe('retrying');
      expect(again.task).toMatchObject({ id: first.id, status: 'running', attempt: 2 });
      expect(again.task.workerId).toBe(WORKER_B);
      expect(again.leaseToken).not.toBe(first.claim?.leaseToken);
      expect(again.executionId).not.toBe(first.claim?.executionId);
    });
  });
}
