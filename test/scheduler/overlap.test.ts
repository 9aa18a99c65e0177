/**
 * A minutely schedule whose task runs 150 s, for 20 simulated minutes (ticks at 0 … 19 min),
 * under each overlap policy. The worker is played through the store, so each task runs exactly
 * 150 simulated seconds; a scheduler pass and the worker take turns every 5 s.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OverlapPolicy } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';
import { BY_HAND, MINUTE, PlayedWorker, SECOND, SimulatedTime, T0, TASKS } from './simulation.ts';

const RUN_MS = 150 * SECOND;

forEachBackend((backend) => {
  const open = useMills(backend);
  const workers: PlayedWorker[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.close();
  });

  async function simulate(overlap: OverlapPolicy) {
    const time = new SimulatedTime(T0 - 30 * SECOND);
    const mill = await open(TASKS, { clock: time.clock(), scheduler: BY_HAND });
    await mill.schedules.add({ name: 'slow', cron: '* * * * *', task: 'tick', overlap });
    const scheduler = mill.startScheduler();
    const worker = await PlayedWorker.open(mill.dbUrl, RUN_MS);
    workers.push(worker);
    while (time.now < T0 + 19 * MINUTE + 30 * SECOND) {
      time.now += 5 * SECOND;
      await worker.step(time.now);
      await scheduler.pass();
      await worker.step(time.now);
    }
    const runs = (await mill.schedules.runs('slow', { limit: 100 })).reverse();
    const spans = runs
      .filter((r) => r.taskId !== null)
      .map((r) => ({
        tick: r.scheduledAt.getTime() - T0,
        ...worker.spans.get(r.taskId as string),
      }));
    return { worker, runs, spans, stats: (await mill.schedules.get('slow')).stats };
  }

  describe('overlap with a task that runs 150 s', () => {
    it('skip: never two unfinished; the ticks in between are skipped and counted', async () => {
      const { worker, runs, spans, stats } = await simulate('skip');
      expect(worker.mostAtOnce).toBe(1);
      expect(runs).toHaveLength(20);
      // A run at 0 ends at 2:30, so 1 and 2 are skipped and 3 runs: every third minute.
      expect(spans.map((s) => s.tick / MINUTE)).toEqual([0, 3, 6, 9, 12, 15, 18]);
      expect(stats).toMatchObject({ runs: 7, skipped: { overlap: 13, catch_up: 0 } });
      expect(runs.filter((r) => r.skipped === 'overlap')).toHaveLength(13);
    });

    it('allow: every tick runs, up to 3 at once', async () => {
      const { worker, spans, stats } = await simulate('allow');
      expect(worker.mostAtOnce).toBe(3);
      expect(spans).toHaveLength(20);
      expect(spans.every((s) => s.startedAt === T0 + s.tick)).toBe(true);
      expect(stats.skipped).toEqual({ overlap: 0, catch_up: 0, invalid: 0 });
    });

    it('queue: runs back to back, one tick waiting behind the running one, none lost', async () => {
      const { worker, runs, spans, stats } = await simulate('queue');
      expect(worker.mostAtOnce).toBe(1);
      // 0:00–2:30 (tick 0), then the tick that waited (1 min) at 2:30, and so on.
      expect(spans.map((s) => s.tick / MINUTE)).toEqual([0, 1, 3, 5, 8, 10, 13, 15]);
      for (let i = 1; i < spans.length; i++) {
        expect(spans[i]?.startedAt).toBe(spans[i - 1]?.endedAt);
      }
      // Every tick ran, was skipped while one waited, or is the one waiting now.
      const waiting = runs.filter((r) => r.taskId === null && r.skipped === null);
      expect(waiting.map((r) => (r.scheduledAt.getTime() - T0) / MINUTE)).toEqual([18]);
      expect(stats.runs + stats.skipped.overlap + waiting.length).toBe(20);
    });
  });
});
