/**
 * A config file (seed 003's shape) with one bad entry among good ones, applied to a real database
 * as `serve`/`worker`/`scheduler` apply it (checked first against the process's task types) and
 * as `schedules apply --server` does (no task types here: the server's apply refuses): every bad
 * input of issue 15 is SCHEDULE_FILE_INVALID naming the entry and the field, and nothing from
 * the file is applied (no schedule created, changed, or disabled).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applySchedules } from '../../src/cli/apply-schedules.ts';
import { parseSchedulesFile } from '../../src/cli/schedules-file.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { type AnyTaskDefinition, defineTask } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { refusalOf } from '../helpers/error-of.ts';
import { useMills } from '../helpers/mill.ts';

const noop = async () => null;
const TASKS = [
  defineTask({ name: 'data_collection', input: z.object({}).default({}), run: noop }),
  defineTask({ name: 'system_cleanup', input: z.object({ days: z.number() }), run: noop }),
] as const;
const TYPES = new Map<string, AnyTaskDefinition>(TASKS.map((t) => [t.name, t]));
const MANUAL = { enabled: false, pollMs: 2_147_483_647 };

/** The bad entry's fields in the seed's words, and the field the refusal must name. */
const BAD = [
  ['61 * * * *', { cron_expression: '61 * * * *' }, 'cron_expression', 'cron'],
  ['@fortnightly', { cron_expression: '@fortnightly' }, 'cron_expression', 'cron'],
  ['an unknown zone', { timezone: 'Mars/Olympus' }, 'timezone', 'timezone'],
  ["an input failing the type's schema", { input: { days: 'seven' } }, 'input.days', 'input.days'],
  ['a task type nobody defined', { task: 'nobody.defined' }, 'task', 'task'],
] as const;

/** data_collection changed, system_cleanup the bad one, weekly_report new. */
function file(bad: Record<string, unknown>) {
  const job = { cron_expression: '0 2 * * *', input: { days: 7 } };
  return parseSchedulesFile(
    'jobs.json',
    JSON.stringify({
      cron_jobs: {
        data_collection: { cron_expression: '*/30 * * * *' },
        system_cleanup: { ...job, ...bad },
        weekly_report: { ...job, task: 'system_cleanup', cron_expression: '@weekly' },
      },
    }),
  );
}

forEachBackend((backend) => {
  const open = useMills(backend);
  /** A database holding data_collection (hourly) and `legacy`, which the file does not list. */
  const stored = async () => {
    const m = await open(TASKS, {
      clock: new ManualClock(Date.UTC(2026, 0, 1)),
      scheduler: MANUAL,
    });
    await m.schedules.add({ name: 'data_collection', cron: '@hourly', task: 'data_collection' });
    await m.schedules.add({ name: 'legacy', cron: '@daily', task: 'data_collection' });
    return { m, before: await m.schedules.list() };
  };

  describe('a schedules file with one bad entry among good ones', () => {
    it.each(BAD)(
      '%s, checked by the process that has the task types: nothing applied',
      async (_, bad, fileField) => {
        const { m, before } = await stored();
        const error = await refusalOf(() => applySchedules(m.schedules, file(bad), TYPES));
        expect(error.code).toBe('SCHEDULE_FILE_INVALID');
        expect(error.issues[0]?.path).toBe(`cron_jobs.system_cleanup.${fileField}`);
        expect(error.message).toMatch(/^jobs\.json: .*Nothing from the file was applied\.$/);
        expect(await m.schedules.list()).toEqual(before);
      },
    );

    it.each(BAD)(
      '%s, refused by apply itself (no task types at hand): nothing applied',
      async (_, bad, _f, field) => {
        const { m, before } = await stored();
        const error = await refusalOf(() => applySchedules(m.schedules, file(bad)));
        expect(error.code).toBe('SCHEDULE_FILE_INVALID');
        expect(error.details).toMatchObject({ file: 'jobs.json', entry: 'system_cleanup' });
        expect(error.issues[0]?.path).toBe(`[1].${field}`);
        expect(error.message).toMatch(
          /^jobs\.json: Schedule "system_cleanup" \(entry 2\): field "[^"]+": .*Nothing from the file was applied\.$/,
        );
        expect(await m.schedules.list()).toEqual(before);
      },
    );
  });
});
