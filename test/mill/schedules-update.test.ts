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
// The same type after a release changed its input: the stored input no longer fits.
const reportV2 = defineTask({
  name: 'report',
  input: z.object({ regions: z.array(z.string()) }),
  run: async () => 'ok',
});
const daily = { name: 'daily-eu', cron: '0 6 * * *', task: 'report', input: { region: 'eu' } };
const MANUAL = { enabled: false, pollMs: 2_147_483_647 };

forEachBackend((backend) => {
  const open = useMills(backend);
  const clock = () => new ManualClock(T0);

  describe('mill.schedules.update: what a change needs checked', () => {
    it('enables, disables, changes and removes without the task type’s definition', async () => {
      const withCode = await open([report], { clock: clock(), scheduler: MANUAL });
      await withCode.schedules.add(daily);
      // A CLI or server that does not load the task code (`--database` only).
      const bare = await open([], { clock: clock(), scheduler: MANUAL, dbUrl: withCode.dbUrl });
      expect((await bare.schedules.disable(daily.name)).enabled).toBe(false);
      expect((await bare.schedules.enable(daily.name)).enabled).toBe(true);
      const changed = await bare.schedules.update(daily.name, { cron: '0 7 * * *', priority: 1 });
      expect(changed).toMatchObject({ cron: '0 7 * * *', priority: 'high', input: daily.input });
      // What the change brings is still checked: a bad queue without the type, …
      const queue = await refusalOf(() => bare.schedules.update(daily.name, { queue: 'a b' }));
      expect([queue.code, queue.issues[0]?.path]).toEqual(['QUEUE_NAME_INVALID', 'queue']);
      // … and a new input or type needs the type's schema.
      const input = await refusalOf(() => bare.schedules.update(daily.name, { input: {} }));
      expect([input.code, input.issues[0]?.path]).toEqual(['TASK_TYPE_UNKNOWN', 'task']);
      await bare.schedules.remove(daily.name);
      expect(await withCode.schedules.list()).toEqual([]);
    });

    it('disables a schedule whose input no longer fits its type, and checks a new input', async () => {
      const before = await open([report], { clock: clock(), scheduler: MANUAL });
      await before.schedules.add(daily);
      const after = await open([reportV2], {
        clock: clock(),
        scheduler: MANUAL,
        dbUrl: before.dbUrl,
      });
      expect((await after.schedules.disable(daily.name)).enabled).toBe(false);
      const kept = await after.schedules.update(daily.name, { description: 'old input' });
      expect(kept.description).toBe('old input');
      const stale = await refusalOf(() =>
        after.schedules.update(daily.name, { input: daily.input }),
      );
      expect([stale.code, stale.issues[0]?.path]).toEqual(['TASK_INPUT_INVALID', 'input.regions']);
      const fixed = await after.schedules.update(daily.name, { input: { regions: ['eu'] } });
      expect(fixed.input).toEqual({ regions: ['eu'] });
    });
  });
});
