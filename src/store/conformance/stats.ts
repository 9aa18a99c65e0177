import { describe, expect, it } from 'vitest';
import type { StatsParams, StatsSnapshot } from '../contract.ts';
import type { ConformanceContext } from './context.ts';
import {
  claim,
  HOUR,
  insertAll,
  insertTask,
  MINUTE,
  newTask,
  QUEUE,
  SECOND,
  settlementFor,
  T0,
  WORKER_A,
} from './factories.ts';

type Ending = 'completed' | 'failed' | 'timed_out' | 'retrying';

/** Rows in one order whatever order an adapter returned them in. */
function byKey<T>(rows: readonly T[], key: (row: T) => string): T[] {
  return [...rows].sort((x, y) => key(x).localeCompare(key(y)));
}

export function statsTests(ctx: ConformanceContext): void {
  /** Stats read as of `now`, with a sample and windows wide enough for a test's few rows. */
  function read(p: Partial<StatsParams> & { now: number }): Promise<StatsSnapshot> {
    return ctx.store.statsGet({ since: T0, sampleSize: 100, hoursSince: T0, ...p });
  }

  /** One attempt of a fresh task of `type` in `queue` that ends `status` at `at`, having run
   * for `durationMs` by the worker's measure. */
  async function endedAt(
    at: number,
    status: Ending,
    o: { type: string; queue?: string; durationMs?: number },
  ): Promise<void> {
    await insertTask(ctx.store, {
      status,
      claimAt: at - SECOND,
      settleAt: at,
      metrics: { durationMs: o.durationMs ?? 1, peakRssBytes: 1 },
      task: { type: o.type, queue: o.queue ?? QUEUE },
    });
  }

  describe('statsGet', () => {
    it('counts tasks by type, queue and status', async () => {
      await insertTask(ctx.store, { status: 'completed', task: { type: 'a', queue: 'q1' } });
      await insertTask(ctx.store, { status: 'failed', task: { type: 'b', queue: 'q1' } });
      await insertTask(ctx.store, { status: 'running', task: { type: 'b', queue: 'q2' } });
      await insertAll(ctx.store, [
        newTask({ type: 'a', queue: 'q1' }),
        newTask({ type: 'a', queue: 'q2' }),
        newTask({ type: 'a', queue: 'q2' }),
      ]);

      const { counts } = await read({ now: T0 + MINUTE });
      const normalised = byKey(
        counts.filter((c) => c.count > 0),
        (c) => `${c.type}/${c.queue}/${c.status}`,
      );
      expect(normalised).toEqual([
        { type: 'a', queue: 'q1', status: 'completed', count: 1 },
        { type: 'a', queue: 'q1', status: 'queued', count: 1 },
        { type: 'a', queue: 'q2', status: 'queued', count: 2 },
        { type: 'b', queue: 'q1', status: 'failed', count: 1 },
        { type: 'b', queue: 'q2', status: 'running', count: 1 },
      ]);
    });

    it('samples the newest finished executions by `now`, newest first, with type and queue', async () => {
      const endings = [
        { status: 'completed', durationMs: 10, queue: 'q1' },
        { status: 'failed', durationMs: 20, queue: 'q2' },
        { status: 'retrying', durationMs: 30, queue: 'q1' },
        { status: 'completed', durationMs: 40, queue: 'q2' },
        // Finishes after the read's `now`: a later snapshot's business.
        { status: 'completed', durationMs: 50, queue: 'q1' },
      ] as const;
      for (const [k, e] of endings.entries()) {
        await endedAt(T0 + (k + 1) * MINUTE, e.status, { ...e, type: `t${k}` });
      }
      await insertTask(ctx.store, { status: 'running', task: { type: 'busy' } });

      const now = T0 + 4 * MINUTE;
      const all = await read({ now });
      expect(all.durations).toEqual([
        { type: 't3', queue: 'q2', durationMs: 40 },
        { type: 't2', queue: 'q1', durationMs: 30 },
        { type: 't1', queue: 'q2', durationMs: 20 },
        { type: 't0', queue: 'q1', durationMs: 10 },
      ]);
      const two = await read({ now, sampleSize: 2 });
      expect(two.durations.map((d) => d.durationMs)).toEqual([40, 30]);
    });

    it('counts executions finished between `since` and `now` by type, queue and outcome', async () => {
      const endings = ['completed', 'failed', 'retrying', 'completed', 'timed_out'] as const;
      for (const [k, status] of endings.entries()) {
        await endedAt(T0 + (k + 1) * SECOND, status, { type: k < 3 ? 'a' : 'b', queue: 'q1' });
      }
      await insertAll(ctx.store, [newTask({ type: 'gone', queue: 'q2' })]);
      const [released] = await claim(ctx.store, {
        now: T0 + 10 * SECOND,
        types: ['gone'],
        limit: 1,
      });
      if (released === undefined) throw new Error('no gone task was claimed');
      await ctx.store.taskSettle({
        now: T0 + 11 * SECOND,
        workerId: WORKER_A,
        items: [
          settlementFor(released, { to: 'queued', outcome: 'released', refundAttempt: true }),
        ],
      });
      await endedAt(T0 + 13 * SECOND, 'completed', { type: 'late', queue: 'q1' });

      const { finishedSince } = await read({ since: T0 + 2 * SECOND, now: T0 + 12 * SECOND });
      expect(byKey(finishedSince, (f) => `${f.type}/${f.queue}/${f.outcome}`)).toEqual([
        { type: 'a', queue: 'q1', outcome: 'failed', count: 2 },
        { type: 'b', queue: 'q1', outcome: 'completed', count: 1 },
        { type: 'b', queue: 'q1', outcome: 'timed_out', count: 1 },
        { type: 'gone', queue: 'q2', outcome: 'released', count: 1 },
      ]);
    });

    it('buckets executions by the hour they finished in, from `hoursSince` to `now`', async () => {
      const hoursSince = T0 + 7 * HOUR;
      const now = T0 + 30 * HOUR + 15 * MINUTE;
      // One millisecond before the window: left out.
      await endedAt(hoursSince - 1, 'completed', { type: 'a', queue: 'q1', durationMs: 5 });
      await endedAt(hoursSince, 'completed', { type: 'a', queue: 'q1', durationMs: 10 });
      await endedAt(hoursSince + 30 * MINUTE, 'completed', {
        type: 'a',
        queue: 'q1',
        durationMs: 20,
      });
      await endedAt(hoursSince + HOUR - 1, 'failed', { type: 'a', queue: 'q1', durationMs: 30 });
      await endedAt(T0 + 30 * HOUR + 1, 'timed_out', { type: 'b', queue: 'q1', durationMs: 50 });
      await endedAt(now, 'completed', { type: 'b', queue: 'q2', durationMs: 40 });
      // After `now`: left out.
      await endedAt(now + 1, 'completed', { type: 'b', queue: 'q2', durationMs: 60 });

      const { hourly } = await read({ hoursSince, now });
      expect(byKey(hourly, (h) => `${h.hour}/${h.type}/${h.queue}/${h.outcome}`)).toEqual([
        {
          hour: hoursSince,
          type: 'a',
          queue: 'q1',
          outcome: 'completed',
          count: 2,
          durationSumMs: 30,
        },
        {
          hour: hoursSince,
          type: 'a',
          queue: 'q1',
          outcome: 'failed',
          count: 1,
          durationSumMs: 30,
        },
        {
          hour: T0 + 30 * HOUR,
          type: 'b',
          queue: 'q1',
          outcome: 'timed_out',
          count: 1,
          durationSumMs: 50,
        },
        {
          hour: T0 + 30 * HOUR,
          type: 'b',
          queue: 'q2',
          outcome: 'completed',
          count: 1,
          durationSumMs: 40,
        },
      ]);
    });

    it('takes an attempt without reported metrics to have lasted from its start to its end', async () => {
      await insertAll(ctx.store, [newTask({ type: 'gone' })]);
      const [c] = await claim(ctx.store, { now: T0 + 10 * SECOND, types: ['gone'], limit: 1 });
      if (c === undefined) throw new Error('no gone task was claimed');
      await ctx.store.taskSettle({
        now: T0 + 13 * SECOND,
        workerId: WORKER_A,
        items: [settlementFor(c, { to: 'queued', outcome: 'released', refundAttempt: true })],
      });

      const snap = await read({ now: T0 + MINUTE });
      expect(snap.durations).toEqual([{ type: 'gone', queue: QUEUE, durationMs: 3 * SECOND }]);
      expect(snap.hourly).toEqual([
        expect.objectContaining({ hour: T0, count: 1, durationSumMs: 3 * SECOND }),
      ]);
    });
  });
}
