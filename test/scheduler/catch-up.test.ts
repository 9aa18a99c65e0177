/**
 * Every scheduler down for 25 simulated minutes, then three start at once: each catch-up policy
 * does what it says, once, whichever scheduler handles the schedule.
 */
import { describe, expect, it } from 'vitest';
import type { TaskmillEvents } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';
import { allTasks, MINUTE, SECOND, SimulatedTime, T0, TASKS } from './simulation.ts';

/** A tick older than 10 s counts as missed, so every tick of the 25 minutes is. */
const SCHEDULER = { enabled: false, pollMs: 2_147_483_647, lateAfterMs: 10 * SECOND };

forEachBackend((backend) => {
  const open = useMills(backend);

  describe('catch-up after 25 minutes with no scheduler', () => {
    it('all: 25 backfilled; latest: 1; none: 0; nothing older than the window; skips counted', async () => {
      const time = new SimulatedTime(T0);
      const clocks = [time.clock(2 * SECOND), time.clock(-2 * SECOND), time.clock(0)];
      const first = await open(TASKS, { clock: clocks[2], scheduler: SCHEDULER });
      const every = { cron: '* * * * *', task: 'tick' };
      await first.schedules.add({ ...every, name: 'all', catchUp: 'all' });
      await first.schedules.add({ ...every, name: 'latest', catchUp: 'latest' });
      await first.schedules.add({ ...every, name: 'none', catchUp: 'none' });
      const window = 10 * MINUTE;
      await first.schedules.add({
        ...every,
        name: 'window',
        catchUp: 'all',
        catchUpWindowMs: window,
      });

      // Down from T0 (nothing handled since) to 25 min 30 s: the ticks at 1 … 25 min are missed.
      time.now = T0 + 25 * MINUTE + 30 * SECOND;
      const mills = [first];
      for (const clock of clocks.slice(0, 2)) {
        mills.push(await open(TASKS, { clock, dbUrl: first.dbUrl, scheduler: SCHEDULER }));
      }
      const skipped: TaskmillEvents['schedule.skipped'][] = [];
      const fired: TaskmillEvents['schedule.fired'][] = [];
      for (const m of mills) {
        m.on('schedule.skipped', (e) => skipped.push(e));
        m.on('schedule.fired', (e) => fired.push(e));
      }
      const schedulers = mills.map((m) => m.startScheduler());
      await Promise.all(schedulers.map((s) => s.pass()));
      // Later passes find nothing more to do.
      await Promise.all(schedulers.map((s) => s.pass()));

      const tasks = await allTasks(first);
      const times = (name: string) =>
        tasks.filter((t) => t.schedule?.schedule === name).map((t) => t.runAt.getTime() - T0);
      const minutes = (from: number, to: number) =>
        Array.from({ length: to - from + 1 }, (_, i) => (from + i) * MINUTE);
      expect(times('all')).toEqual(minutes(1, 25));
      expect(times('latest')).toEqual([25 * MINUTE]);
      expect(times('none')).toEqual([]);
      // Within 10 min of 25 min 30 s: the ticks at 16 … 25 min.
      expect(times('window')).toEqual(minutes(16, 25));
      expect(tasks).toHaveLength(25 + 1 + 10);
      expect(tasks.every((t) => t.schedule?.backfill === true)).toBe(true);

      const stats = async (name: string) => (await first.schedules.get(name)).stats;
      expect(await stats('all')).toMatchObject({ runs: 25, skipped: { overlap: 0, catch_up: 0 } });
      expect(await stats('latest')).toMatchObject({ runs: 1, skipped: { catch_up: 24 } });
      expect(await stats('none')).toMatchObject({ runs: 0, skipped: { catch_up: 25 } });
      expect(await stats('window')).toMatchObject({ runs: 10, skipped: { catch_up: 15 } });
      // An event for each tick (on PostgreSQL a mill also hears the others' through the bridge,
      // so the same tick's event may come more than once: the tasks above count the ticks).
      const keys = (events: { schedule: string; scheduledAt: Date }[]) =>
        new Set(events.map((e) => `${e.schedule}@${+e.scheduledAt}`)).size;
      expect(keys(fired)).toBe(36);
      expect(keys(skipped)).toBe(24 + 25 + 15);
      expect(skipped.every((e) => e.reason === 'catch_up')).toBe(true);
    });

    it('fires the ticks of a scheduler that took over within lateAfterMs as usual', async () => {
      const time = new SimulatedTime(T0);
      const m = await open(TASKS, { clock: time.clock(), scheduler: SCHEDULER });
      await m.schedules.add({ name: 'none', cron: '* * * * *', task: 'tick', catchUp: 'none' });
      const scheduler = m.startScheduler();
      await scheduler.pass();
      time.now = T0 + 2 * MINUTE + 8 * SECOND;
      expect(await scheduler.pass()).toMatchObject({ fired: 1, skipped: 1 });
      const [task] = await allTasks(m);
      expect(task?.schedule).toMatchObject({
        scheduledAt: new Date(T0 + 2 * MINUTE),
        backfill: false,
      });
    });
  });
});
