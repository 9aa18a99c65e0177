/**
 * Several schedulers on one database, with clocks that disagree: every tick becomes exactly one
 * task, at its scheduled time, whichever scheduler gets there first. In-process (one mill per
 * scheduler, each with its own clock); the multi-process version with kills lives elsewhere.
 */
import { describe, expect, it } from 'vitest';
import { forEachBackend } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';
import { allTasks, BY_HAND, MINUTE, SECOND, SimulatedTime, T0, TASKS } from './simulation.ts';

forEachBackend((backend) => {
  const open = useMills(backend);

  describe('schedulers with skewed clocks over one simulated hour', () => {
    it('make exactly 60 and 12 tasks, one per tick, each to run at its tick', async () => {
      const time = new SimulatedTime(T0 - 30 * SECOND);
      // +2 s, -2 s, and one that steps back 30 s at minute 20 (and stays 30 s behind).
      const clocks = [time.clock(2 * SECOND), time.clock(-2 * SECOND), time.clock(0)];
      const first = await open(TASKS, { clock: clocks[0], scheduler: BY_HAND });
      const mills = [first];
      for (const clock of clocks.slice(1)) {
        mills.push(await open(TASKS, { clock, dbUrl: first.dbUrl, scheduler: BY_HAND }));
      }
      await first.schedules.add({ name: 'minutely', cron: '* * * * *', task: 'tick' });
      await first.schedules.add({ name: 'five', cron: '*/5 * * * *', task: 'tick' });
      const schedulers = mills.map((m) => m.startScheduler());

      let passes = 0;
      // Every scheduler passes every 5 simulated seconds, all at once, for an hour: the schedules
      // were added 30 s before T0, the hour's ticks are T0 … T0 + 59 min.
      while (time.now < T0 + 59 * MINUTE + 30 * SECOND) {
        time.now += 5 * SECOND;
        if (time.now === T0 + 20 * MINUTE)
          (clocks[2] as { skew: { ms: number } }).skew.ms = -30 * SECOND;
        const results = await Promise.all(schedulers.map((s) => s.pass()));
        passes += results.length;
      }

      const tasks = await allTasks(first);
      const of = (name: string) => tasks.filter((t) => t.schedule?.schedule === name);
      const minutely = of('minutely');
      const five = of('five');
      expect([minutely.length, five.length, tasks.length]).toEqual([60, 12, 72]);
      expect(minutely.map((t) => t.runAt.getTime())).toEqual(
        Array.from({ length: 60 }, (_, i) => T0 + i * MINUTE),
      );
      expect(five.map((t) => t.runAt.getTime())).toEqual(
        Array.from({ length: 12 }, (_, i) => T0 + i * 5 * MINUTE),
      );
      for (const t of tasks) {
        expect(t.schedule?.scheduledAt.getTime()).toBe(t.runAt.getTime());
        expect(t.schedule).toMatchObject({ backfill: false, manual: false });
      }
      // Nothing was skipped: every tick was in time for some scheduler.
      for (const m of ['minutely', 'five']) {
        expect((await first.schedules.get(m)).stats.skipped).toEqual({
          overlap: 0,
          catch_up: 0,
          invalid: 0,
        });
      }
      expect(passes).toBe(3 * 720);
    });
  });
});
