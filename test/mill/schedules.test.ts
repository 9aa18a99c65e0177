import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/core/clock.ts';
import { defineTask, type TaskmillEvents } from '../../src/index.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { errorOf, refusalOf } from '../helpers/error-of.ts';
import { useMills } from '../helpers/mill.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

const report = defineTask({
  name: 'report',
  input: z.object({ region: z.string() }),
  queue: 'reports',
  run: async () => 'ok',
});
const TASKS = [report] as const;
const daily = { name: 'daily-eu', cron: '0 6 * * *', task: 'report', input: { region: 'eu' } };
// The scheduler runs only when a test asks for a pass.
const MANUAL = { enabled: false, pollMs: 2_147_483_647 };

forEachBackend((backend) => {
  const open = useMills(backend);
  const mill = async (clock = new ManualClock(T0)) =>
    Object.assign(await open(TASKS, { clock, scheduler: MANUAL }), { clock });

  describe('mill.schedules: saving', () => {
    it('adds a schedule with its defaults, next run and empty stats', async () => {
      const m = await mill();
      const s = await m.schedules.add(daily);
      expect(s).toMatchObject({
        ...daily,
        timezone: 'UTC',
        queue: 'reports',
        priority: 'normal',
        enabled: true,
        overlap: 'allow',
        catchUp: 'none',
        lastRunAt: null,
        nextRunAt: new Date(Date.UTC(2026, 0, 2, 6)),
        createdAt: new Date(T0),
        stats: { runs: 0, successRate: null, skipped: { overlap: 0, catch_up: 0 } },
      });
      expect(await m.schedules.list()).toEqual([s]);
      expect(await m.schedules.get(daily.name)).toEqual(s);
    });

    it('refuses bad definitions with the field named, and stores none of them', async () => {
      const m = await mill();
      const cases = [
        [{ ...daily, cron: '61 * * * *' }, 'SCHEDULE_INVALID', 'cron'],
        [{ ...daily, cron: '@fortnightly' }, 'SCHEDULE_INVALID', 'cron'],
        [{ ...daily, timezone: 'Moon/Base' }, 'SCHEDULE_INVALID', 'timezone'],
        [{ ...daily, task: 'nobody' }, 'TASK_TYPE_UNKNOWN', 'task'],
        [{ ...daily, input: { region: 1 } }, 'TASK_INPUT_INVALID', 'input.region'],
      ] as const;
      for (const [definition, code, path] of cases) {
        const error = await refusalOf(() => m.schedules.add(definition));
        expect([error.code, error.issues[0]?.path]).toEqual([code, path]);
      }
      expect(await m.schedules.list()).toEqual([]);
    });

    it('refuses a taken name, and unknown names everywhere', async () => {
      const m = await mill();
      await m.schedules.add(daily);
      expect((await errorOf(m.schedules.add(daily))).code).toBe('SCHEDULE_EXISTS');
      for (const call of [
        () => m.schedules.get('nope'),
        () => m.schedules.update('nope', { cron: '@daily' }),
        () => m.schedules.enable('nope'),
        () => m.schedules.runNow('nope'),
        () => m.schedules.remove('nope'),
        () => m.schedules.next('nope'),
        () => m.schedules.runs('nope'),
      ]) {
        expect((await errorOf(call())).code).toBe('SCHEDULE_NOT_FOUND');
      }
    });

    it('updates fields, keeps the others, and refuses a rename', async () => {
      const m = await mill();
      await m.schedules.add(daily);
      m.clock.advance(MINUTE);
      const s = await m.schedules.update(daily.name, { cron: '*/15 * * * *', description: 'x' });
      expect(s).toMatchObject({ ...daily, cron: '*/15 * * * *', description: 'x' });
      expect(s.updatedAt).toEqual(new Date(T0 + MINUTE));
      expect(s.nextRunAt).toEqual(new Date(T0 + 15 * MINUTE));
      const rename = await refusalOf(() =>
        m.schedules.update(daily.name, { name: 'b' } as unknown as { cron: string }),
      );
      expect(rename.issues[0]?.path).toBe('name');
    });

    it('gives the next fire times in the schedule’s zone', async () => {
      const m = await mill();
      await m.schedules.add({ ...daily, timezone: 'America/New_York', cron: '0 9 * * *' });
      expect(await m.schedules.next(daily.name, 2)).toEqual([
        new Date(Date.UTC(2026, 0, 1, 14)),
        new Date(Date.UTC(2026, 0, 2, 14)),
      ]);
      const july = new Date(Date.UTC(2026, 6, 1));
      expect(await m.schedules.next(daily.name, 1, july)).toEqual([
        new Date(Date.UTC(2026, 6, 1, 13)),
      ]);
      expect((await errorOf(m.schedules.next(daily.name, 0))).code).toBe('OPTIONS_INVALID');
    });
  });

  describe('mill.schedules: running', () => {
    it('runs now: a manual task linked to its schedule, an event, a run listed', async () => {
      const m = await mill();
      await m.schedules.add({ ...daily, enabled: false, overlap: 'skip' });
      const fired: TaskmillEvents['schedule.fired'][] = [];
      m.on('schedule.fired', (e) => fired.push(e));
      const run = await m.schedules.runNow(daily.name);
      const again = await m.schedules.runNow(daily.name);
      expect(run).toMatchObject({ manual: true, backfill: false, skipped: null, status: 'queued' });
      expect(again.scheduledAt.getTime()).toBe(T0 + 1);
      const task = await m.get(run.taskId as string);
      expect(task).toMatchObject({ type: 'report', input: { region: 'eu' }, queue: 'reports' });
      expect(task.schedule).toEqual({
        schedule: daily.name,
        scheduledAt: new Date(T0),
        backfill: false,
        manual: true,
      });
      expect(fired.map((e) => e.taskId)).toEqual([run.taskId, again.taskId]);
      const listed = (await m.list()).tasks.find((t) => t.id === run.taskId);
      expect(listed?.schedule?.manual).toBe(true);
      expect((await m.schedules.runs(daily.name)).map((r) => r.taskId)).toEqual([
        again.taskId,
        run.taskId,
      ]);
      await m.schedules.remove(daily.name);
      expect((await m.get(run.taskId as string)).schedule).toBeNull();
    });

    it('fires due ticks in a pass, with task links, stats and the daily report', async () => {
      const m = await mill();
      await m.schedules.add({ ...daily, cron: '*/10 * * * *' });
      const scheduler = m.startScheduler();
      // The service's first pass, at once on start: nothing is due yet.
      expect(await scheduler.pass()).toMatchObject({ fired: 0 });
      for (const fires of [1, 1]) {
        m.clock.advance(10 * MINUTE);
        expect(await scheduler.pass()).toMatchObject({ fired: fires, skipped: 0 });
      }
      m.clock.advance(5 * MINUTE);
      expect(await scheduler.pass()).toMatchObject({ fired: 0 });
      const { tasks } = await m.list({ sort: 'runAt', order: 'asc' });
      expect(tasks.map((t) => [t.runAt.getTime(), t.schedule?.scheduledAt.getTime()])).toEqual([
        [T0 + 10 * MINUTE, T0 + 10 * MINUTE],
        [T0 + 20 * MINUTE, T0 + 20 * MINUTE],
      ]);
      const worker = await m.startWorker({ concurrency: 2 });
      await m.wait(tasks[1]?.id as string);
      await m.wait(tasks[0]?.id as string);
      await worker.stop();
      const s = await m.schedules.get(daily.name);
      expect(s.stats).toMatchObject({ runs: 2, completed: 2, successRate: 1 });
      expect(s.lastRunAt).toEqual(new Date(T0 + 20 * MINUTE));
      expect(s.nextRunAt).toEqual(new Date(T0 + 30 * MINUTE));
      expect(await m.schedules.report()).toEqual([
        expect.objectContaining({ schedule: daily.name, day: '2026-01-01', runs: 2, completed: 2 }),
      ]);
    });

    it('handles no tick of the time a schedule was disabled', async () => {
      const m = await mill();
      await m.schedules.add({ ...daily, cron: '* * * * *', catchUp: 'all' });
      const scheduler = m.startScheduler();
      await scheduler.pass();
      await m.schedules.disable(daily.name);
      expect((await m.schedules.get(daily.name)).nextRunAt).toBeNull();
      m.clock.advance(10 * MINUTE);
      expect(await scheduler.pass()).toMatchObject({ fired: 0, skipped: 0 });
      await m.schedules.enable(daily.name);
      m.clock.advance(MINUTE);
      expect(await scheduler.pass()).toMatchObject({ fired: 1, skipped: 0 });
      expect((await m.schedules.runs(daily.name)).map((r) => r.scheduledAt.getTime())).toEqual([
        T0 + 11 * MINUTE,
      ]);
    });

    it('starts the scheduler with the first worker unless told not to', async () => {
      const clock = new ManualClock(T0);
      const on = await open(TASKS, { clock, scheduler: { pollMs: 2_147_483_647 } });
      await on.schedules.add({ ...daily, cron: '* * * * *' });
      clock.advance(MINUTE);
      const worker = await on.startWorker();
      // The service's first pass runs as it starts.
      for (let i = 0; i < 200 && (await on.list()).tasks.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      expect((await on.list()).tasks).toHaveLength(1);
      await worker.stop();

      const off = await open(TASKS, { clock, dbUrl: on.dbUrl, scheduler: { enabled: false } });
      clock.advance(MINUTE);
      const other = await off.startWorker();
      expect((await off.schedules.runs(daily.name)).length).toBe(1);
      await other.stop();
    });
  });

  describe('mill.schedules.apply', () => {
    it('creates, updates, keeps and disables so that the stored schedules match', async () => {
      const m = await mill();
      await m.schedules.add({ ...daily, name: 'keep' });
      await m.schedules.add({ ...daily, name: 'change' });
      await m.schedules.add({ ...daily, name: 'gone' });
      const result = await m.schedules.apply([
        { ...daily, name: 'keep' },
        { ...daily, name: 'change', cron: '@hourly' },
        { ...daily, name: 'new', input: { region: 'us' } },
      ]);
      expect(result).toEqual({
        created: ['new'],
        updated: ['change'],
        unchanged: ['keep'],
        disabled: ['gone'],
      });
      expect((await m.schedules.get('gone')).enabled).toBe(false);
      expect(await m.schedules.apply([])).toMatchObject({ disabled: ['change', 'keep', 'new'] });
    });

    it('applies nothing when one definition is bad, naming it and the field', async () => {
      const m = await mill();
      const error = await refusalOf(() =>
        m.schedules.apply([
          { ...daily, name: 'good' },
          { ...daily, name: 'bad', cron: '61 * * * *' },
        ]),
      );
      expect(error.code).toBe('SCHEDULE_INVALID');
      expect(error.issues[0]?.path).toBe('[1].cron');
      expect(error.details).toMatchObject({ index: 1, name: 'bad' });
      // The entry named once, the field once.
      expect(error.message).toBe(
        'Schedule "bad" (entry 2): field "cron": 61 is out of range for the minute field.',
      );
      const twice = await refusalOf(() => m.schedules.apply([daily, daily]));
      expect(twice.issues[0]?.path).toBe('[1].name');
      expect(twice.message).toBe(
        'Schedule "daily-eu" (entry 2): field "name": "daily-eu" is also the name of entry 1.',
      );
      const input = await refusalOf(() => m.schedules.apply([{ ...daily, input: { region: 1 } }]));
      expect(input.message).toMatch(
        /^Schedule "daily-eu" \(entry 1\): field "input\.region": [^"]+\.$/,
      );
      expect(await m.schedules.list()).toEqual([]);
    });
  });
});

describe('createTaskmill scheduler option', () => {
  const open = useMills();
  it('is checked at run time', async () => {
    const error = await refusalOf(() =>
      open(TASKS, { scheduler: { pollMS: 5 } as unknown as { pollMs: number } }),
    );
    expect(error.issues[0]).toMatchObject({ path: 'scheduler.pollMS' });
    expect(error.message).toMatch(/did you mean "pollMs"/);
  });
});
