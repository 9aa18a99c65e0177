/**
 * A schedule whose stored input no longer fits its type's schema (the code changed under it):
 * each of its ticks is recorded once as skipped (`invalid`), with an event and a warning that
 * name the schedule and the error; the pass does not fail, other schedules fire, and a pass
 * again at the same time records nothing more (no retry storm).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineTask, type TaskmillEvents } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';
import { BY_HAND, MINUTE, SimulatedTime, T0 } from './simulation.ts';

const reportV1 = defineTask({
  name: 'report',
  input: z.object({ region: z.string() }),
  run: () => null,
});
const reportV2 = defineTask({
  name: 'report',
  input: z.object({ regions: z.array(z.string()) }),
  run: () => null,
});
const ping = defineTask({ name: 'ping', input: z.unknown(), run: () => null });

forEachBackend((backend) => {
  const open = useMills(backend);
  afterEach(() => {
    vi.restoreAllMocks();
  });

  describe('a schedule whose input no longer fits', () => {
    it('records each tick skipped (invalid) once, says why, and fires the others', async () => {
      const time = new SimulatedTime(T0 - 30_000);
      const v1 = await open([reportV1, ping], { clock: time.clock(), scheduler: BY_HAND });
      await v1.schedules.add({
        name: 'stale',
        cron: '* * * * *',
        task: 'report',
        input: { region: 'eu' },
      });
      await v1.schedules.add({ name: 'fine', cron: '* * * * *', task: 'ping' });
      const v2 = await open([reportV2, ping], {
        clock: time.clock(),
        scheduler: BY_HAND,
        dbUrl: v1.dbUrl,
      });
      const skipped: TaskmillEvents['schedule.skipped'][] = [];
      v2.on('schedule.skipped', (e) => skipped.push(e));
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      // A failed pass is reported by the service host with console.error.
      const failed = vi.spyOn(console, 'error');
      const scheduler = v2.startScheduler();

      // Two passes per time (the service's first pass may be one of them): each tick once.
      time.now = T0 + 1_000;
      await scheduler.pass();
      await scheduler.pass();
      time.now = T0 + MINUTE + 1_000;
      await scheduler.pass();
      await scheduler.pass();

      expect(skipped).toEqual([
        { schedule: 'stale', scheduledAt: new Date(T0), reason: 'invalid' },
        { schedule: 'stale', scheduledAt: new Date(T0 + MINUTE), reason: 'invalid' },
      ]);
      expect(warn).toHaveBeenCalledTimes(2);
      expect(warn.mock.calls[0]?.[0]).toMatch(
        /^taskmill: schedule "stale" cannot build its task, 1 tick recorded skipped \(invalid\): TASK_INPUT_INVALID: /,
      );
      const runs = await v2.schedules.runs('stale');
      expect(runs.map((r) => [r.scheduledAt.getTime() - T0, r.taskId, r.skipped])).toEqual([
        [MINUTE, null, 'invalid'],
        [0, null, 'invalid'],
      ]);
      expect((await v2.schedules.get('stale')).stats.skipped).toEqual({
        overlap: 0,
        catch_up: 0,
        invalid: 2,
      });
      expect((await v2.schedules.get('fine')).stats.runs).toBe(2);
      expect(failed).not.toHaveBeenCalled();

      // Fixed input: the next tick fires.
      await v2.schedules.update('stale', { input: { regions: ['eu'] } });
      time.now = T0 + 2 * MINUTE + 1_000;
      await scheduler.pass();
      expect((await v2.schedules.runs('stale', { limit: 1 }))[0]).toMatchObject({
        scheduledAt: new Date(T0 + 2 * MINUTE),
        skipped: null,
        status: 'queued',
      });
    });
  });
});
