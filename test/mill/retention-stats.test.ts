import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTask, ManualClock } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';

const maybeFail = defineTask({
  name: 'maybe-fail',
  input: z.object({ fail: z.boolean() }),
  retry: { kind: 'fixed', maxAttempts: 1 },
  run: async ({ fail }, ctx) => {
    await ctx.artifacts.put('out.txt', 'kept until purged');
    if (fail) throw new Error('asked to fail');
    return 'ok';
  },
});

forEachBackend((backend) => {
  const open = useMills(backend);

  describe('retention', () => {
    it('deletes finished tasks past the count and the age, with their artifacts, and nothing else', async () => {
      const clock = new ManualClock(Date.now());
      // The tasks run in a mill without rules: a worker's retention pass runs as it starts, and
      // on a loaded machine it could come after some of them ended and purge them early.
      const setup = await open([maybeFail], { clock });
      const done = await setup.submitMany(
        Array.from({ length: 5 }, () => ({ type: 'maybe-fail' as const, input: { fail: false } })),
      );
      const failed = await setup.submit('maybe-fail', { fail: true });
      const worker = await setup.startWorker({ handleSignals: false });
      for (const t of [...done, failed]) await setup.wait(t.id, { timeoutMs: 5000 });
      await worker.stop();
      const mill = await open([maybeFail], {
        clock,
        dbUrl: setup.dbUrl,
        retention: { completed: { maxCount: 2 }, failed: { maxAgeMs: 60_000 } },
      });
      const artifactOf = async (id: string) =>
        join(mill.dataDir, (await mill.artifacts(id))[0]?.path ?? 'missing');
      const oldest = await artifactOf(done[0]!.id);
      expect(existsSync(oldest)).toBe(true);
      // Retention runs when a worker starts: count rule now, age rule once the clock has moved.
      const purged = new Promise((r) => mill.on('retention.purged', (e) => r(e.count)));
      const second = await mill.startWorker({ handleSignals: false });
      expect(await purged).toBe(3);
      const remaining = (await mill.list({ status: 'completed' })).tasks.map((t) => t.id);
      expect(remaining.sort()).toEqual([done[3]!.id, done[4]!.id].sort());
      expect(existsSync(oldest)).toBe(false);
      expect((await mill.get(failed.id)).status).toBe('failed');
      await second.stop();
      clock.advance(120_000);
      const purgedAgain = new Promise((r) => mill.on('retention.purged', (e) => r(e.count)));
      await mill.startWorker({ handleSignals: false });
      expect(await purgedAgain).toBe(1);
      await expect(mill.get(failed.id)).rejects.toMatchObject({ code: 'TASK_NOT_FOUND' });
    });
  });

  describe('stats and workers', () => {
    it('counts by status and type, success rate, durations and the last minute', async () => {
      const mill = await open([maybeFail]);
      const tasks = await mill.submitMany([
        { type: 'maybe-fail', input: { fail: false } },
        { type: 'maybe-fail', input: { fail: false } },
        { type: 'maybe-fail', input: { fail: false } },
        { type: 'maybe-fail', input: { fail: true } },
      ]);
      await mill.submit('maybe-fail', { fail: false }, { delayMs: 3_600_000 });
      await mill.startWorker({ handleSignals: false, name: 'stats-worker' });
      for (const t of tasks) await mill.wait(t.id, { timeoutMs: 5000 });
      const stats = await mill.stats();
      expect(stats.byStatus).toMatchObject({ completed: 3, failed: 1, queued: 1, running: 0 });
      expect(stats.byType['maybe-fail']).toMatchObject({ completed: 3, failed: 1, queued: 1 });
      expect(stats.total).toBe(5);
      expect(stats.successRate).toBe(0.75);
      expect(stats.durationMs.samples).toBe(4);
      expect(stats.durationMs.p95).toBeGreaterThanOrEqual(stats.durationMs.p50);
      expect(stats.lastMinute).toMatchObject({ completed: 3, failed: 1, total: 4 });
      const workers = await mill.workers();
      expect(workers).toEqual([
        expect.objectContaining({ name: 'stats-worker', state: 'online', types: ['maybe-fail'] }),
      ]);
    });
  });

  describe('task types nobody serves', () => {
    it('are reported by stats until an online worker can run them', async () => {
      const x = defineTask({ name: 'x', input: z.object({}), run: () => 'x' });
      const y = defineTask({ name: 'y', input: z.object({}), run: () => 'y' });
      const submitter = await open([x, y]);
      await submitter.submit('y', {});
      await submitter.submit('x', {}, { delayMs: 3_600_000 });
      expect((await submitter.stats()).unservedTypes).toEqual(['x', 'y']);
      const onlyX = await open([x], { dbUrl: submitter.dbUrl });
      await onlyX.startWorker({ handleSignals: false });
      expect((await submitter.stats()).unservedTypes).toEqual(['y']);
      const workers = await submitter.workers();
      expect(workers.map((w) => [w.state, w.types])).toEqual([['online', ['x']]]);
    });
  });
});
