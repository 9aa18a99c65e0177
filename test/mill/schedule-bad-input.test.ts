/**
 * Every bad input of issue 15 through the library, where add's own test does not reach: an update
 * to a bad expression, zone, type or input, and a set given to `apply` (what a config file
 * becomes) with one bad entry among good ones. Each is refused naming the entry and the field,
 * and nothing is written: the stored schedules read back exactly as before.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/core/clock.ts';
import { defineTask } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { refusalOf } from '../helpers/error-of.ts';
import { useMills } from '../helpers/mill.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const report = defineTask({
  name: 'report',
  input: z.object({ region: z.string() }),
  run: async () => 'ok',
});
const TASKS = [report] as const;
const daily = { name: 'daily', cron: '0 6 * * *', task: 'report', input: { region: 'eu' } };
const MANUAL = { enabled: false, pollMs: 2_147_483_647 };

/** The issue's bad inputs that are about one schedule: what to change, the code, the field. */
const BAD = [
  ['61 * * * *', { cron: '61 * * * *' }, 'SCHEDULE_INVALID', 'cron'],
  ['@fortnightly', { cron: '@fortnightly' }, 'SCHEDULE_INVALID', 'cron'],
  ['an unknown zone', { timezone: 'Mars/Olympus' }, 'SCHEDULE_INVALID', 'timezone'],
  [
    "an input failing the type's schema",
    { input: { region: 1 } },
    'TASK_INPUT_INVALID',
    'input.region',
  ],
  ['a task type nobody defined', { task: 'nobody' }, 'TASK_TYPE_UNKNOWN', 'task'],
] as const;

forEachBackend((backend) => {
  const open = useMills(backend);
  /** A mill holding `daily` and `other`, and a snapshot of them to compare with. */
  const withSchedules = async () => {
    const clock = new ManualClock(T0);
    const m = await open(TASKS, { clock, scheduler: MANUAL });
    await m.schedules.add(daily);
    await m.schedules.add({ ...daily, name: 'other', cron: '@hourly' });
    clock.advance(60_000);
    return { m, before: await m.schedules.list() };
  };

  describe('bad input refused and nothing written', () => {
    it.each(BAD)(
      'update to %s: refused at its field, the schedule unchanged',
      async (_, change, code, path) => {
        const { m, before } = await withSchedules();
        const error = await refusalOf(() => m.schedules.update('daily', change));
        expect([error.code, error.issues[0]?.path]).toEqual([code, path]);
        expect(await m.schedules.list()).toEqual(before);
      },
    );

    it.each(BAD)(
      'apply with %s in one entry among good ones: none applied',
      async (_, change, code, path) => {
        const { m, before } = await withSchedules();
        const error = await refusalOf(() =>
          m.schedules.apply([
            { ...daily, cron: '*/10 * * * *' },
            { ...daily, name: 'new' },
            { ...daily, name: 'bad', ...change },
          ]),
        );
        expect([error.code, error.issues[0]?.path]).toEqual([code, `[2].${path}`]);
        expect(error.details).toMatchObject({ index: 2, name: 'bad' });
        // Not created, not updated, and `other` (absent from the set) not disabled.
        expect(await m.schedules.list()).toEqual(before);
      },
    );

    it('apply naming one schedule twice: refused at the second, none applied', async () => {
      const { m, before } = await withSchedules();
      const error = await refusalOf(() =>
        m.schedules.apply([{ ...daily, name: 'new' }, daily, { ...daily, cron: '@daily' }]),
      );
      expect(error.issues[0]?.path).toBe('[2].name');
      expect(error.details).toMatchObject({ index: 2, name: 'daily' });
      expect(await m.schedules.list()).toEqual(before);
    });
  });
});
