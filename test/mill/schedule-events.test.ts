import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.ts';
import type { TaskmillEvents } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { BY_HAND, MINUTE, SECOND, T0, TASKS } from '../scheduler/simulation.ts';

forEachBackend((backend) => {
  const open = useMills(backend);

  describe('schedule events', () => {
    it('tell of a fired and a skipped tick here, and in the other processes where the database carries events', async () => {
      const clock = new ManualClock(T0 - 30 * SECOND);
      const a = await open(TASKS, { clock, scheduler: BY_HAND });
      const b = await open(TASKS, { clock, dbUrl: a.dbUrl, scheduler: BY_HAND });
      const here: unknown[] = [];
      const there: (TaskmillEvents['schedule.fired'] | TaskmillEvents['schedule.skipped'])[] = [];
      const statuses: TaskmillEvents['task.status'][] = [];
      a.on('schedule.fired', (e) => here.push(e));
      a.on('schedule.skipped', (e) => here.push(e));
      a.on('task.status', (e) => statuses.push(e));
      b.on('schedule.fired', (e) => there.push(e));
      b.on('schedule.skipped', (e) => there.push(e));
      await a.schedules.add({ name: 's', cron: '* * * * *', task: 'tick', overlap: 'skip' });
      const scheduler = a.startScheduler();
      await scheduler.pass();
      for (const minute of [0, 1]) {
        clock.set(T0 + minute * MINUTE);
        await scheduler.pass();
      }
      const [task] = (await a.list()).tasks;
      expect(here).toEqual([
        {
          schedule: 's',
          scheduledAt: new Date(T0),
          taskId: task?.id,
          backfill: false,
          manual: false,
        },
        { schedule: 's', scheduledAt: new Date(T0 + MINUTE), reason: 'overlap' },
      ]);
      expect(statuses).toMatchObject([{ taskId: task?.id, from: null, to: 'queued' }]);
      if (b.listening() === null) {
        expect(there).toEqual([]);
        return;
      }
      // A process learns that another listens from its announcements (every 2 s): until then
      // its events stay home. Run now until one crosses.
      await waitFor(
        'a run-now event in the other mill',
        async () => {
          if (there.some((e) => 'manual' in e && e.manual)) return true;
          await a.schedules.runNow('s');
          return false;
        },
        { everyMs: 250 },
      );
      clock.set(T0 + 2 * MINUTE);
      await scheduler.pass();
      const skipped = await waitFor('the skipped tick in the other mill', () =>
        there.find((e) => +e.scheduledAt === T0 + 2 * MINUTE),
      );
      expect(skipped).toEqual({
        schedule: 's',
        scheduledAt: new Date(T0 + 2 * MINUTE),
        reason: 'overlap',
      });
    });
  });
});
