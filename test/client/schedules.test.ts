/**
 * `client.schedules` against a real server: the same calls as `mill.schedules` with the same
 * results (times as Date), the server's refusals as TaskmillErrors, options checked before a
 * request goes out, and `schedule.fired` on the event stream.
 */
import { describe, expect, it } from 'vitest';
import type { ScheduleDefinition } from '../../src/core/schedule.ts';
import { createClient, ManualClock } from '../../src/index.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { errorOf } from '../helpers/error-of.ts';
import { useApi } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { BY_HAND, MINUTE, SECOND, T0 } from '../scheduler/simulation.ts';

const input = { url: 'https://example.com/a.png', width: 320 };
const nightly: ScheduleDefinition = {
  name: 'nightly',
  cron: '0 2 * * *',
  timezone: 'Europe/Berlin',
  task: 'image.resize',
  input,
  overlap: 'skip',
};

forEachBackend((backend) => {
  const start = useApi(backend);

  describe('client.schedules', () => {
    it('reads what mill.schedules reads, times as Date', async () => {
      const api = await start(apiTasks);
      const client = createClient({ url: api.server.url });
      const added = await client.schedules.add(nightly);
      expect(added.createdAt).toBeInstanceOf(Date);
      expect(added.nextRunAt).toBeInstanceOf(Date);
      expect(await client.schedules.get('nightly')).toEqual(
        await api.mill.schedules.get('nightly'),
      );
      expect(await client.schedules.list()).toEqual(await api.mill.schedules.list());

      const from = new Date('2026-06-30T12:00:00Z');
      const times = await client.schedules.next('nightly', 2, from);
      expect(times).toEqual(await api.mill.schedules.next('nightly', 2, from));
      // 02:00 in Berlin in summer (UTC+2) is midnight UTC.
      expect(times.map((t) => t.toISOString())).toEqual([
        '2026-07-01T00:00:00.000Z',
        '2026-07-02T00:00:00.000Z',
      ]);

      const run = await client.schedules.runNow('nightly');
      expect(run.scheduledAt).toBeInstanceOf(Date);
      expect(run.manual).toBe(true);
      expect(await client.schedules.runs('nightly', { limit: 5 })).toEqual(
        await api.mill.schedules.runs('nightly', { limit: 5 }),
      );
      const task = await client.get(run.taskId as string);
      expect(task.schedule?.scheduledAt).toBeInstanceOf(Date);
      expect(task.schedule).toEqual({
        schedule: 'nightly',
        scheduledAt: run.scheduledAt,
        backfill: false,
        manual: true,
      });
      expect(await client.schedules.report({ days: 1 })).toEqual(
        await api.mill.schedules.report({ days: 1 }),
      );

      const changed = await client.schedules.update('nightly', { cron: '15 4 * * *' });
      expect(changed.cron).toBe('15 4 * * *');
      expect((await client.schedules.disable('nightly')).nextRunAt).toBeNull();
      expect((await client.schedules.enable('nightly')).enabled).toBe(true);
      expect(await client.schedules.apply([{ ...nightly, cron: '45 4 * * *' }])).toEqual({
        created: [],
        updated: ['nightly'],
        unchanged: [],
        disabled: [],
      });
      await client.schedules.remove('nightly');
      expect(await client.schedules.list()).toEqual([]);
    });

    it("throws the server's codes, and refuses bad options before sending", async () => {
      const api = await start(apiTasks);
      const client = createClient({ url: api.server.url });
      expect((await errorOf(client.schedules.get('nope'))).code).toBe('SCHEDULE_NOT_FOUND');
      expect((await errorOf(client.schedules.add({ ...nightly, cron: '61 * * * *' }))).code).toBe(
        'SCHEDULE_INVALID',
      );
      await client.schedules.add(nightly);
      expect((await errorOf(client.schedules.add(nightly))).code).toBe('SCHEDULE_EXISTS');
      const bad = await errorOf(client.schedules.runs('nightly', { limit: 0 }));
      expect(bad.code).toBe('OPTIONS_INVALID');
      expect(bad.message).toMatch(/options\.limit/);
      expect((await errorOf(client.schedules.report({ dayz: 2 } as never))).message).toMatch(
        /did you mean "days"/,
      );
      expect((await errorOf(client.schedules.next('nightly', 0))).code).toBe('OPTIONS_INVALID');
    });

    it('streams a tick fired and the next one skipped (overlap), as the scheduler makes them', async () => {
      const clock = new ManualClock(T0 - 30 * SECOND);
      const api = await start(apiTasks, {}, { clock, scheduler: BY_HAND });
      const client = createClient({ url: api.server.url });
      await client.schedules.add({
        ...nightly,
        name: 'minutely',
        cron: '* * * * *',
        timezone: 'UTC',
      });
      const stop = new AbortController();
      const kinds = ['schedule.fired', 'schedule.skipped'] as const;
      const events = client.events({ kinds, signal: stop.signal });
      const first = events.next();
      await waitFor('the stream to be open', () => api.server.eventClients() === 1);
      const scheduler = api.mill.startScheduler();
      for (const minute of [0, 1]) {
        clock.set(T0 + minute * MINUTE);
        await scheduler.pass();
      }
      const fired = (await first).value;
      const skipped = (await events.next()).value;
      stop.abort();
      expect(fired).toMatchObject({
        kind: 'schedule.fired',
        data: { schedule: 'minutely', scheduledAt: new Date(T0), backfill: false, manual: false },
      });
      expect(skipped).toMatchObject({
        kind: 'schedule.skipped',
        data: { schedule: 'minutely', scheduledAt: new Date(T0 + MINUTE), reason: 'overlap' },
      });
    });

    it('streams schedule.fired with its time as a Date', async () => {
      const api = await start(apiTasks);
      const client = createClient({ url: api.server.url });
      await client.schedules.add(nightly);
      const stop = new AbortController();
      const events = client.events({ kinds: ['schedule.fired'], signal: stop.signal });
      const first = events.next();
      await waitFor('the stream to be open', () => api.server.eventClients() === 1);
      const run = await client.schedules.runNow('nightly');
      const { value } = await first;
      stop.abort();
      expect(value).toMatchObject({ kind: 'schedule.fired' });
      const data = (value as { data: { taskId: string; scheduledAt: Date; manual: boolean } }).data;
      expect(data).toMatchObject({ schedule: 'nightly', taskId: run.taskId, manual: true });
      expect(data.scheduledAt).toBeInstanceOf(Date);
    });
  });
});
