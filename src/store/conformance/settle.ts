import { describe, expect, it } from 'vitest';
import type { ExecutionMetrics, TaskErrorInfo } from '../../core/task.ts';
import type { ClaimedTask, Settlement } from '../contract.ts';
import type { ConformanceContext } from './context.ts';
import {
  claim,
  insertAll,
  insertTask,
  LEASE_MS,
  MINUTE,
  mustGet,
  newTask,
  nth,
  recoveryFor,
  SAMPLE_ERROR,
  SAMPLE_METRICS,
  SECOND,
  SWEEPER,
  settlementFor,
  snapshot,
  T0,
  WORKER_A,
  WORKER_B,
} from './factories.ts';

export function settleTests(ctx: ConformanceContext): void {
  async function claimOne(now: number, workerId = WORKER_A): Promise<ClaimedTask> {
    const [claimed] = await claim(ctx.store, { now, workerId, limit: 1 });
    if (claimed === undefined) throw new Error('nothing was claimed');
    return claimed;
  }

  async function settle(now: number, items: Settlement[], workerId = WORKER_A) {
    return ctx.store.taskSettle({ now, workerId, items });
  }

  describe('taskSettle endings', () => {
    it('completes with output, clears the lease and ends the execution', async () => {
      await insertAll(ctx.store, [newTask()]);
      const claimed = await claimOne(T0);
      const output = { url: 's3://bucket/report.pdf', pages: 12, tags: ['a', 'b'] };
      const metrics: ExecutionMetrics = { ...SAMPLE_METRICS, rowsRead: 300 };

      const results = await settle(T0 + 5 * SECOND, [
        settlementFor(claimed, { output, metrics, reason: 'handler returned' }),
      ]);
      expect(results).toEqual([{ ok: true, from: 'running', to: 'completed' }]);

      expect(await mustGet(ctx.store, claimed.task.id)).toMatchObject({
        status: 'completed',
        output,
        error: null,
        attempt: 1,
        finishedAt: new Date(T0 + 5 * SECOND),
        updatedAt: new Date(T0 + 5 * SECOND),
        leaseExpiresAt: null,
        workerId: null,
      });
      expect(await ctx.store.executionList({ taskId: claimed.task.id })).toEqual([
        {
          id: claimed.executionId,
          taskId: claimed.task.id,
          attempt: 1,
          workerId: WORKER_A,
          startedAt: new Date(T0),
          finishedAt: new Date(T0 + 5 * SECOND),
          outcome: 'completed',
          error: null,
          metrics,
        },
      ]);
      const history = await ctx.store.historyList({ id: claimed.task.id });
      expect(history.at(-1)).toMatchObject({
        from: 'running',
        to: 'completed',
        at: new Date(T0 + 5 * SECOND),
        reason: 'handler returned',
        workerId: WORKER_A,
      });
    });

    for (const to of ['failed', 'timed_out', 'cancelled'] as const) {
      it(`ends in ${to} with its error on the task and the execution`, async () => {
        await insertAll(ctx.store, [newTask()]);
        const claimed = await claimOne(T0);
        const error: TaskErrorInfo = {
          code: `E_${to.toUpperCase()}`,
          message: to,
          retryable: false,
        };
        const results = await settle(T0 + SECOND, [
          settlementFor(claimed, { to, outcome: to, error, metrics: SAMPLE_METRICS, reason: to }),
        ]);
        expect(results).toEqual([{ ok: true, from: 'running', to }]);
        expect(await mustGet(ctx.store, claimed.task.id)).toMatchObject({
          status: to,
          error,
          finishedAt: new Date(T0 + SECOND),
          leaseExpiresAt: null,
        });
        const [execution] = await ctx.store.executionList({ taskId: claimed.task.id });
        expect(execution).toMatchObject({ outcome: to, error, metrics: SAMPLE_METRICS });
        expect((await ctx.store.historyList({ id: claimed.task.id })).at(-1)).toMatchObject({
          from: 'running',
          to,
          reason: to,
        });
      });
    }

    it('waits in retrying until runAt, then runs again as attempt 2 under a new token', async () => {
      await insertAll(ctx.store, [newTask()]);
      const first = await claimOne(T0);
      const retryAt = T0 + MINUTE;
      const results = await settle(T0 + SECOND, [
        settlementFor(first, {
          to: 'retrying',
          outcome: 'failed',
          error: SAMPLE_ERROR,
          runAt: retryAt,
          reason: 'retry 1 of 2',
        }),
      ]);
      expect(results).toEqual([{ ok: true, from: 'running', to: 'retrying' }]);
      expect(await mustGet(ctx.store, first.task.id)).toMatchObject({
        status: 'retrying',
        attempt: 1,
        runAt: new Date(retryAt),
        error: SAMPLE_ERROR,
        leaseExpiresAt: null,
      });

      expect(await claim(ctx.store, { now: retryAt - 1 })).toEqual([]);
      const second = await claimOne(retryAt + 1, WORKER_B);
      expect(second.task).toMatchObject({ id: first.task.id, attempt: 2, workerId: WORKER_B });
      expect(second.leaseToken).not.toBe(first.leaseToken);
    });

    it('gives the attempt back on a release with refundAttempt: queued and claimable at once', async () => {
      await insertAll(ctx.store, [newTask()]);
      const claimed = await claimOne(T0);
      const results = await settle(T0 + SECOND, [
        settlementFor(claimed, {
          to: 'queued',
          outcome: 'released',
          refundAttempt: true,
          reason: 'worker shutting down',
        }),
      ]);
      expect(results).toEqual([{ ok: true, from: 'running', to: 'queued' }]);
      expect(await mustGet(ctx.store, claimed.task.id)).toMatchObject({
        status: 'queued',
        attempt: 0,
        workerId: null,
        leaseExpiresAt: null,
      });
      const [execution] = await ctx.store.executionList({ taskId: claimed.task.id });
      expect(execution?.outcome).toBe('released');

      const again = await claimOne(T0 + SECOND, WORKER_B);
      expect(again.task).toMatchObject({ id: claimed.task.id, attempt: 1 });
    });
  });

  describe('taskSettle fencing', () => {
    it('rejects a wrong token as lease_lost and changes nothing', async () => {
      await insertAll(ctx.store, [newTask()]);
      const claimed = await claimOne(T0);
      const before = await snapshot(ctx.store, claimed.task.id);
      const results = await settle(T0 + SECOND, [
        settlementFor(claimed, { token: 'not-the-token', output: { forged: true } }),
      ]);
      expect(results).toEqual([{ ok: false, reason: 'lease_lost' }]);
      expect(await snapshot(ctx.store, claimed.task.id)).toEqual(before);
    });

    it("rejects an earlier attempt's token and changes nothing", async () => {
      const retried = await insertTask(ctx.store, { status: 'retrying', retryAt: T0 + MINUTE });
      const old = retried.claim;
      if (old === null) throw new Error('the factory returned no claim');
      const current = await claimOne(T0 + 2 * MINUTE, WORKER_B);
      const before = await snapshot(ctx.store, current.task.id);

      const results = await settle(T0 + 3 * MINUTE, [settlementFor(old, { output: 'late' })]);
      expect(results).toEqual([{ ok: false, reason: 'lease_lost' }]);
      expect(await snapshot(ctx.store, current.task.id)).toEqual(before);
    });

    it('accepts a token once: a second settle of the same attempt is lease_lost', async () => {
      await insertAll(ctx.store, [newTask()]);
      const claimed = await claimOne(T0);
      await settle(T0 + SECOND, [settlementFor(claimed, { output: 1 })]);
      const before = await snapshot(ctx.store, claimed.task.id);
      const again = await settle(T0 + 2 * SECOND, [
        settlementFor(claimed, { to: 'failed', outcome: 'failed', error: SAMPLE_ERROR }),
      ]);
      expect(again).toEqual([{ ok: false, reason: 'lease_lost' }]);
      expect(await snapshot(ctx.store, claimed.task.id)).toEqual(before);
    });

    it('reports an unknown task as lease_lost', async () => {
      const results = await settle(T0, [
        { id: newTask().id, token: 'x', to: 'completed', outcome: 'completed', reason: null },
      ]);
      expect(results).toEqual([{ ok: false, reason: 'lease_lost' }]);
    });

    it('settles only the current items of a mixed batch, one result per item in order', async () => {
      await insertAll(ctx.store, [newTask(), newTask(), newTask()]);
      const claimed = await claim(ctx.store, { now: T0, limit: 3 });
      const [a, b, c] = [nth(claimed, 0), nth(claimed, 1), nth(claimed, 2)];
      const beforeB = await snapshot(ctx.store, b.task.id);

      const results = await settle(T0 + SECOND, [
        settlementFor(a, { output: 'a' }),
        settlementFor(b, { token: 'stale', output: 'b' }),
        settlementFor(c, { to: 'failed', outcome: 'failed', error: SAMPLE_ERROR }),
      ]);
      expect(results).toEqual([
        { ok: true, from: 'running', to: 'completed' },
        { ok: false, reason: 'lease_lost' },
        { ok: true, from: 'running', to: 'failed' },
      ]);
      expect((await mustGet(ctx.store, a.task.id)).status).toBe('completed');
      expect(await snapshot(ctx.store, b.task.id)).toEqual(beforeB);
      expect((await mustGet(ctx.store, c.task.id)).status).toBe('failed');
    });

    it('applies onlyIfExpired only once the lease has run out', async () => {
      await insertAll(ctx.store, [newTask()]);
      const claimed = await claimOne(T0);
      const before = await snapshot(ctx.store, claimed.task.id);

      const lease = { id: claimed.task.id, token: claimed.leaseToken };
      const early = await settle(T0 + LEASE_MS - 1, [recoveryFor(lease)], SWEEPER);
      expect(early).toEqual([{ ok: false, reason: 'lease_lost' }]);
      expect(await snapshot(ctx.store, claimed.task.id)).toEqual(before);

      const late = await settle(T0 + LEASE_MS + 1, [recoveryFor(lease)], SWEEPER);
      expect(late).toEqual([{ ok: true, from: 'running', to: 'queued' }]);
      expect(await mustGet(ctx.store, claimed.task.id)).toMatchObject({
        status: 'queued',
        attempt: 0,
      });
    });
  });

  describe('taskSettle crash count', () => {
    it('counts crashes in a row and resets the count on any other ending', async () => {
      await insertAll(ctx.store, [newTask({ maxAttempts: 5 })]);
      let now = T0;
      for (const expected of [1, 2]) {
        const claimed = await claimOne(now);
        now += LEASE_MS + SECOND;
        const [result] = await settle(
          now,
          [recoveryFor({ id: claimed.task.id, token: claimed.leaseToken })],
          SWEEPER,
        );
        expect(result?.ok).toBe(true);
        expect(await mustGet(ctx.store, claimed.task.id)).toMatchObject({
          status: 'queued',
          crashCount: expected,
          attempt: 0,
        });
      }

      const claimed = await claimOne(now);
      expect(claimed.task.crashCount).toBe(2);
      await settle(now + SECOND, [
        settlementFor(claimed, {
          to: 'retrying',
          outcome: 'failed',
          error: SAMPLE_ERROR,
          runAt: now + MINUTE,
        }),
      ]);
      expect((await mustGet(ctx.store, claimed.task.id)).crashCount).toBe(0);
    });
  });

  describe('executionList', () => {
    it('keeps one execution per attempt with its own worker, outcome, error and metrics', async () => {
      await insertAll(ctx.store, [newTask()]);
      const first = await claimOne(T0, WORKER_A);
      const firstMetrics: ExecutionMetrics = { durationMs: 900, peakRssBytes: 1000 };
      await settle(
        T0 + SECOND,
        [
          settlementFor(first, {
            to: 'retrying',
            outcome: 'failed',
            error: SAMPLE_ERROR,
            metrics: firstMetrics,
            runAt: T0 + MINUTE,
          }),
        ],
        WORKER_A,
      );
      const second = await claimOne(T0 + 2 * MINUTE, WORKER_B);
      const secondMetrics: ExecutionMetrics = { durationMs: 40, peakRssBytes: 2000, items: 3 };
      await settle(
        T0 + 2 * MINUTE + SECOND,
        [settlementFor(second, { output: 'ok', metrics: secondMetrics })],
        WORKER_B,
      );

      // The contract does not fix the list's order, so compare by attempt.
      const executions = (await ctx.store.executionList({ taskId: first.task.id })).sort(
        (x, y) => x.attempt - y.attempt,
      );
      expect(executions).toEqual([
        {
          id: first.executionId,
          taskId: first.task.id,
          attempt: 1,
          workerId: WORKER_A,
          startedAt: new Date(T0),
          finishedAt: new Date(T0 + SECOND),
          outcome: 'failed',
          error: SAMPLE_ERROR,
          metrics: firstMetrics,
        },
        {
          id: second.executionId,
          taskId: first.task.id,
          attempt: 2,
          workerId: WORKER_B,
          startedAt: new Date(T0 + 2 * MINUTE),
          finishedAt: new Date(T0 + 2 * MINUTE + SECOND),
          outcome: 'completed',
          error: null,
          metrics: secondMetrics,
        },
      ]);
      expect(first.executionId).not.toBe(second.executionId);
    });

    it('is empty for a task never claimed', async () => {
      const task = newTask();
      await insertAll(ctx.store, [task]);
      expect(await ctx.store.executionList({ taskId: task.id })).toEqual([]);
    });
  });
}
