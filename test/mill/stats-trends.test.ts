/**
 * Stats per task type, per queue and by hour: the arithmetic on a made-up snapshot, then the
 * whole path (worker, store, stats, HTTP) on both backends under a manual clock, so attempts
 * land in the hours the test chose.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTask, ManualClock, type TaskmillStats } from '../../src/index.ts';
import { statsQuery, summarizeStats } from '../../src/mill/stats.ts';
import { startServer } from '../../src/server/serve.ts';
import type { StatsSnapshot } from '../../src/store/contract.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';

const HOUR = 3_600_000;
/** 12:40 UTC: the current hour is 12:00, the oldest bucket 13:00 the day before. */
const NOW = Date.UTC(2026, 2, 10, 12, 40);
const CURRENT_HOUR = Date.UTC(2026, 2, 10, 12);

type Group = TaskmillStats['perType'][string];

function hourAt(g: Group | undefined, start: number): Group['hourly'][number] | undefined {
  return g?.hourly.find((h) => h.hour.getTime() === start);
}

describe('summarizeStats', () => {
  const query = statsQuery(NOW);
  /** 100 attempts of type a in queue q1 lasting 1..100 ms, 10 of type b in q2 lasting 1 s. */
  const snap: StatsSnapshot = {
    counts: [
      { type: 'a', queue: 'q1', status: 'completed', count: 90 },
      { type: 'a', queue: 'q1', status: 'failed', count: 10 },
      { type: 'b', queue: 'q2', status: 'completed', count: 10 },
      { type: 'b', queue: 'q1', status: 'queued', count: 3 },
    ],
    durations: [
      ...Array.from({ length: 100 }, (_, k) => ({ type: 'a', queue: 'q1', durationMs: k + 1 })),
      ...Array.from({ length: 10 }, () => ({ type: 'b', queue: 'q2', durationMs: 1000 })),
    ],
    finishedSince: [
      { type: 'a', queue: 'q1', outcome: 'completed', count: 6 },
      { type: 'a', queue: 'q1', outcome: 'timed_out', count: 3 },
      { type: 'b', queue: 'q2', outcome: 'released', count: 3 },
    ],
    hourly: [
      {
        hour: CURRENT_HOUR,
        type: 'a',
        queue: 'q1',
        outcome: 'completed',
        count: 4,
        durationSumMs: 40,
      },
      {
        hour: CURRENT_HOUR,
        type: 'a',
        queue: 'q1',
        outcome: 'failed',
        count: 1,
        durationSumMs: 60,
      },
      {
        hour: CURRENT_HOUR - 2 * HOUR,
        type: 'b',
        queue: 'q2',
        outcome: 'completed',
        count: 2,
        durationSumMs: 2000,
      },
      // Before the window (a store answering for a clock that moved): no bucket takes it.
      {
        hour: CURRENT_HOUR - 24 * HOUR,
        type: 'a',
        queue: 'q1',
        outcome: 'completed',
        count: 9,
        durationSumMs: 9,
      },
    ],
  };
  const stats = summarizeStats(snap, query, new Set(['a']));

  it('asks for the newest 10,000 attempts, the last minute and 24 whole hours', () => {
    expect(query).toEqual({
      now: NOW,
      since: NOW - 60_000,
      sampleSize: 10_000,
      hoursSince: CURRENT_HOUR - 23 * HOUR,
    });
  });

  it('reports p99 beside mean, p50 and p95, overall and per group', () => {
    expect(stats.perType['a']?.durationMs).toEqual({
      mean: 50.5,
      p50: 50,
      p95: 95,
      p99: 99,
      samples: 100,
    });
    expect(stats.perQueue['q2']?.durationMs).toEqual({
      mean: 1000,
      p50: 1000,
      p95: 1000,
      p99: 1000,
      samples: 10,
    });
    expect(stats.durationMs).toMatchObject({ p50: 55, p95: 1000, p99: 1000, samples: 110 });
  });

  it('counts each type and each queue, and keeps the overall fields', () => {
    expect(stats.total).toBe(113);
    expect(stats.successRate).toBe(100 / 110);
    expect(stats.byType).toEqual({
      a: { completed: 90, failed: 10 },
      b: { completed: 10, queued: 3 },
    });
    expect(stats.unservedTypes).toEqual(['b']);
    expect(Object.keys(stats.perType)).toEqual(['a', 'b']);
    expect(Object.keys(stats.perQueue)).toEqual(['q1', 'q2']);
    expect(stats.perType['b']).toMatchObject({ total: 13, successRate: 1 });
    expect(stats.perType['b']?.byStatus).toMatchObject({ completed: 10, queued: 3, failed: 0 });
    expect(stats.perQueue['q1']).toMatchObject({ total: 103, successRate: 0.9 });
    expect(stats.perQueue['q1']?.byStatus).toMatchObject({ completed: 90, failed: 10, queued: 3 });
    expect(stats.perQueue['q2']?.successRate).toBe(1);
  });

  it('counts the last minute per group, timed-out attempts as failed', () => {
    expect(stats.lastMinute).toEqual({ completed: 6, failed: 3, total: 12, perSecond: 0.2 });
    expect(stats.perType['a']?.lastMinute).toEqual({
      completed: 6,
      failed: 3,
      total: 9,
      perSecond: 0.15,
    });
    expect(stats.perQueue['q2']?.lastMinute).toEqual({
      completed: 0,
      failed: 0,
      total: 3,
      perSecond: 0.05,
    });
  });

  it('gives 24 hours oldest first, with empty hours as zeros', () => {
    for (const g of [stats, ...Object.values(stats.perType), ...Object.values(stats.perQueue)]) {
      expect(g.hourly.map((h) => h.hour.getTime())).toEqual(
        Array.from({ length: 24 }, (_, k) => CURRENT_HOUR - (23 - k) * HOUR),
      );
    }
    expect(stats.hourly[23]).toEqual({
      hour: new Date(CURRENT_HOUR),
      completed: 4,
      failed: 1,
      total: 5,
      meanDurationMs: 20,
    });
    expect(hourAt(stats.perQueue['q2'], CURRENT_HOUR - 2 * HOUR)).toMatchObject({
      completed: 2,
      meanDurationMs: 1000,
    });
    expect(hourAt(stats.perType['b'], CURRENT_HOUR)).toMatchObject({ total: 0, meanDurationMs: 0 });
    const all = stats.hourly.reduce((n, h) => n + h.total, 0);
    expect(all).toBe(7);
  });

  it('reports zeros, not NaN, before anything ran', () => {
    const empty = summarizeStats(
      { counts: [], durations: [], finishedSince: [], hourly: [] },
      query,
      new Set(),
    );
    expect(empty).toMatchObject({ total: 0, successRate: null, perType: {}, perQueue: {} });
    expect(empty.durationMs).toEqual({ mean: 0, p50: 0, p95: 0, p99: 0, samples: 0 });
    expect(empty.hourly).toHaveLength(24);
    expect(empty.hourly.every((h) => h.total === 0 && h.meanDurationMs === 0)).toBe(true);
  });

  it('gives durations to the microsecond, without float noise', () => {
    const stats = summarizeStats(
      {
        counts: [{ type: 'a', queue: 'q', status: 'completed', count: 3 }],
        durations: [0.1, 0.2, 623.4543].map((durationMs) => ({
          type: 'a',
          queue: 'q',
          durationMs,
        })),
        finishedSince: [],
        hourly: [
          {
            hour: CURRENT_HOUR,
            type: 'a',
            queue: 'q',
            outcome: 'completed',
            count: 3,
            durationSumMs: 0.1 + 0.2,
          },
        ],
      },
      query,
      new Set(),
    );
    // 0.1 + 0.2 + 623.4543 is 623.7543000000001 in floating point.
    expect(stats.durationMs.mean).toBe(207.918);
    expect(hourAt(stats, CURRENT_HOUR)?.meanDurationMs).toBe(0.1);
  });
});

const alpha = defineTask({
  name: 'alpha',
  input: z.object({ fail: z.boolean() }),
  retry: { kind: 'fixed', maxAttempts: 1 },
  run: ({ fail }) => {
    if (fail) throw new Error('asked to fail');
    return 'a';
  },
});
const beta = defineTask({ name: 'beta', input: z.object({}), run: () => 'b' });

forEachBackend((backend) => {
  const open = useMills(backend);

  describe('stats per type, per queue and by hour', () => {
    it('puts attempts in the hour they ended, per type and per queue, and serves them over HTTP', async () => {
      const clock = new ManualClock(Date.UTC(2026, 2, 10, 10, 15));
      const mill = await open([alpha, beta], { clock });
      /** Submit, run to the end with a worker of its own, stop it: the clock stays put meanwhile. */
      const runAll = async (items: Parameters<typeof mill.submitMany>[0]): Promise<void> => {
        const tasks = await mill.submitMany(items);
        const worker = await mill.startWorker({ handleSignals: false });
        for (const t of tasks) await mill.wait(t.id, { timeoutMs: 5000 });
        await worker.stop();
      };
      // 10:15: two alpha in "fast" (one fails), one beta in "slow".
      await runAll([
        { type: 'alpha', input: { fail: false }, options: { queue: 'fast' } },
        { type: 'alpha', input: { fail: true }, options: { queue: 'fast' } },
        { type: 'beta', input: {}, options: { queue: 'slow' } },
      ]);
      // 12:30: two beta in "fast", one alpha in "slow".
      clock.set(Date.UTC(2026, 2, 10, 12, 30));
      await runAll([
        { type: 'beta', input: {}, options: { queue: 'fast' } },
        { type: 'beta', input: {}, options: { queue: 'fast' } },
        { type: 'alpha', input: { fail: false }, options: { queue: 'slow' } },
      ]);

      const stats = await mill.stats();
      // What /metrics reads on every scrape: the same counts, nothing from the executions.
      const counts = await mill.stats({ countsOnly: true });
      expect(counts.byType).toEqual(stats.byType);
      expect(counts.perQueue['fast']?.byStatus).toEqual(stats.perQueue['fast']?.byStatus);
      expect(counts.durationMs.samples).toBe(0);
      expect(counts.hourly.every((h) => h.total === 0)).toBe(true);
      expect(stats.hourly.some((h) => h.total > 0)).toBe(true);
      const ten = Date.UTC(2026, 2, 10, 10);
      const eleven = ten + HOUR;
      const noon = ten + 2 * HOUR;
      expect(stats.hourly).toHaveLength(24);
      expect(stats.hourly[23]?.hour).toEqual(new Date(noon));
      expect(hourAt(stats, ten)).toMatchObject({ completed: 2, failed: 1, total: 3 });
      expect(hourAt(stats, eleven)).toEqual({
        hour: new Date(eleven),
        completed: 0,
        failed: 0,
        total: 0,
        meanDurationMs: 0,
      });
      expect(hourAt(stats, noon)).toMatchObject({ completed: 3, failed: 0, total: 3 });
      expect(hourAt(stats.perType['alpha'], ten)).toMatchObject({ completed: 1, failed: 1 });
      expect(hourAt(stats.perType['alpha'], noon)).toMatchObject({ completed: 1, failed: 0 });
      expect(hourAt(stats.perQueue['fast'], noon)).toMatchObject({ completed: 2, total: 2 });
      expect(hourAt(stats.perQueue['slow'], ten)).toMatchObject({ completed: 1, total: 1 });

      expect(stats.perType['alpha']).toMatchObject({ total: 3, successRate: 2 / 3 });
      expect(stats.perType['beta']).toMatchObject({ total: 3, successRate: 1 });
      expect(stats.perQueue['fast']?.byStatus).toMatchObject({ completed: 3, failed: 1 });
      expect(stats.perQueue['slow']?.byStatus).toMatchObject({ completed: 2, failed: 0 });
      // Only the noon attempts ended within the minute before 12:30.
      expect(stats.lastMinute).toMatchObject({ completed: 3, failed: 0, total: 3 });
      expect(stats.perQueue['fast']?.lastMinute).toMatchObject({ completed: 2, total: 2 });
      for (const g of [stats, ...Object.values(stats.perType), ...Object.values(stats.perQueue)]) {
        const d = g.durationMs;
        expect(d.p99).toBeGreaterThanOrEqual(d.p95);
        expect(d.p95).toBeGreaterThanOrEqual(d.p50);
      }
      expect(stats.durationMs.samples).toBe(6);
      expect(stats.perType['alpha']?.durationMs.samples).toBe(3);
      expect(stats.perQueue['slow']?.durationMs.samples).toBe(2);

      const server = await startServer(mill, { port: 0 });
      try {
        const body = (await (await fetch(`${server.url}/api/v1/stats`)).json()) as {
          durationMs: { p99: number };
          hourly: { hour: string }[];
          perQueue: Record<string, { hourly: { hour: string; completed: number }[] }>;
        };
        expect(body.durationMs.p99).toBe(stats.durationMs.p99);
        expect(body.hourly[23]?.hour).toBe(new Date(noon).toISOString());
        expect(body.perQueue['fast']?.hourly[23]).toMatchObject({
          hour: new Date(noon).toISOString(),
          completed: 2,
        });
        const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
          paths: Record<string, { get?: { responses: Record<string, unknown> } }>;
        };
        const described = JSON.stringify(doc.paths['/api/v1/stats']?.get?.responses['200']);
        for (const field of ['p99', 'hourly', 'perType', 'perQueue', 'meanDurationMs']) {
          expect(described).toContain(`"${field}"`);
        }
      } finally {
        await server.close();
      }

      // A day later the 10:00 hour has left the window; the task counts stay.
      clock.set(Date.UTC(2026, 2, 11, 10, 30));
      const later = await mill.stats();
      expect(later.hourly.reduce((n, h) => n + h.total, 0)).toBe(3);
      expect(later.total).toBe(6);
      expect(later.lastMinute.total).toBe(0);
    });
  });
});
