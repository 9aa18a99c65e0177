/**
 * `/api/v1/schedules` over a real socket, on SQLite and PostgreSQL: create, read, change,
 * enable, disable, run now, next fire times, runs, apply a set, the daily report and delete,
 * each refusal with its code and field; the task a schedule made carries its link in the task
 * body, and the OpenAPI document describes both.
 */
import { describe, expect, it } from 'vitest';
import type { Schedule, ScheduleApplyResult, ScheduleRun } from '../../src/core/schedule.ts';
import type { Task } from '../../src/index.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { forEachBackend, SQLITE } from '../helpers/backends.ts';
import { type Api, useApi } from '../helpers/server.ts';

type ErrorJson = {
  error: { code: string; message: string; details?: { issues?: { path: string }[] } };
};

const input = { url: 'https://example.com/a.png', width: 320 };
const nightly = {
  name: 'nightly-resize',
  cron: '0 2 * * *',
  timezone: 'Asia/Shanghai',
  task: 'image.resize',
  input,
};

async function refused(api: Api<typeof apiTasks>, method: string, path: string, body?: unknown) {
  const answer = await api.request(method, path, body);
  const { error } = answer.json as ErrorJson;
  return {
    status: answer.status,
    code: error.code,
    paths: error.details?.issues?.map((i) => i.path),
  };
}

forEachBackend((backend) => {
  const start = useApi(backend);

  describe('schedules over HTTP', () => {
    it('creates, reads, changes, disables and enables a schedule', async () => {
      const api = await start(apiTasks);
      const created = await api.request('POST', '/api/v1/schedules', nightly);
      expect(created.status).toBe(201);
      const s = created.json as Schedule;
      expect(s).toMatchObject({
        ...nightly,
        enabled: true,
        overlap: 'allow',
        catchUp: 'none',
        lastRunAt: null,
        stats: { runs: 0, completed: 0, failed: 0, skipped: { overlap: 0, catch_up: 0 } },
      });
      // 02:00 in Shanghai is 18:00 UTC the day before.
      expect(String(s.nextRunAt)).toMatch(/T18:00:00\.000Z$/);

      const list = (await api.request('GET', '/api/v1/schedules')).json as Schedule[];
      expect(list.map((x) => x.name)).toEqual(['nightly-resize']);
      expect((await api.request('GET', '/api/v1/schedules/nightly-resize')).json).toEqual(s);

      const changed = await api.request('PATCH', '/api/v1/schedules/nightly-resize', {
        cron: '30 3 * * 1-5',
        overlap: 'skip',
      });
      expect(changed.status).toBe(200);
      expect(changed.json).toMatchObject({
        cron: '30 3 * * 1-5',
        overlap: 'skip',
        task: 'image.resize',
      });

      const off = await api.request('POST', '/api/v1/schedules/nightly-resize/disable');
      expect(off.json).toMatchObject({ enabled: false, nextRunAt: null });
      const on = await api.request('POST', '/api/v1/schedules/nightly-resize/enable');
      expect(on.json).toMatchObject({
        enabled: true,
        nextRunAt: expect.stringMatching(/T19:30:00\.000Z$/),
      });
    });

    it('refuses each bad definition with its code and field, and a taken or unknown name', async () => {
      const api = await start(apiTasks);
      const post = (body: unknown) => refused(api, 'POST', '/api/v1/schedules', body);
      expect(await post({ ...nightly, cron: '61 * * * *' })).toEqual({
        status: 400,
        code: 'SCHEDULE_INVALID',
        paths: ['cron'],
      });
      expect(await post({ ...nightly, cron: '@fortnightly' })).toMatchObject({
        code: 'SCHEDULE_INVALID',
        paths: ['cron'],
      });
      expect(await post({ ...nightly, timezone: 'Mars/Olympus' })).toMatchObject({
        code: 'SCHEDULE_INVALID',
        paths: ['timezone'],
      });
      expect(await post({ ...nightly, task: 'nobody.defined' })).toMatchObject({
        status: 400,
        code: 'TASK_TYPE_UNKNOWN',
        paths: ['task'],
      });
      const badInput = await post({ ...nightly, input: { url: 'nope', width: 0 } });
      expect(badInput).toMatchObject({ status: 400, code: 'TASK_INPUT_INVALID' });
      expect(badInput.paths?.every((p) => p.startsWith('input'))).toBe(true);
      // The request's own shape is Fastify's to refuse.
      expect(await post({ ...nightly, overlap: 'sometimes' })).toMatchObject({ status: 400 });

      expect((await api.request('POST', '/api/v1/schedules', nightly)).status).toBe(201);
      expect(await post(nightly)).toMatchObject({ status: 409, code: 'SCHEDULE_EXISTS' });
      for (const [method, path] of [
        ['GET', '/api/v1/schedules/nope'],
        ['PATCH', '/api/v1/schedules/nope'],
        ['DELETE', '/api/v1/schedules/nope'],
        ['POST', '/api/v1/schedules/nope/run'],
        ['GET', '/api/v1/schedules/nope/next'],
        ['GET', '/api/v1/schedules/nope/runs'],
      ] as const) {
        const body = method === 'PATCH' ? { overlap: 'skip' } : undefined;
        expect(await refused(api, method, path, body), `${method} ${path}`).toMatchObject({
          status: 404,
          code: 'SCHEDULE_NOT_FOUND',
        });
      }
    });

    it('runs one now: a manual run, listed with its task, whose body links back', async () => {
      const api = await start(apiTasks);
      await api.request('POST', '/api/v1/schedules', nightly);
      const ran = await api.request('POST', '/api/v1/schedules/nightly-resize/run');
      expect(ran.status).toBe(201);
      const run = ran.json as ScheduleRun;
      expect(run).toMatchObject({
        schedule: 'nightly-resize',
        manual: true,
        backfill: false,
        skipped: null,
      });
      expect(run.taskId).toEqual(expect.any(String));

      const task = (await api.request('GET', `/api/v1/tasks/${run.taskId}`)).json as Task;
      expect(task.schedule).toEqual({
        schedule: 'nightly-resize',
        scheduledAt: run.scheduledAt,
        backfill: false,
        manual: true,
      });
      const listed = (await api.request('GET', '/api/v1/tasks?limit=5')).json as { tasks: Task[] };
      expect(listed.tasks[0]?.schedule).toMatchObject({ schedule: 'nightly-resize' });
      const plain = (await api.request('POST', '/api/v1/tasks', { type: 'image.resize', input }))
        .json as Task;
      expect(plain.schedule).toBeNull();

      const runs = (await api.request('GET', '/api/v1/schedules/nightly-resize/runs?limit=10'))
        .json;
      expect(runs).toEqual([expect.objectContaining({ taskId: run.taskId, manual: true })]);
      const s = (await api.request('GET', '/api/v1/schedules/nightly-resize')).json as Schedule;
      expect(s.stats.runs).toBe(1);

      const report = (await api.request('GET', '/api/v1/schedules/report?days=2')).json;
      const today = new Date().toISOString().slice(0, 10);
      expect(report).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ schedule: 'nightly-resize', day: today, runs: 1 }),
        ]),
      );
      expect((await refused(api, 'GET', '/api/v1/schedules/report?days=0')).status).toBe(400);

      // Deleting the schedule leaves the task it made.
      expect((await api.request('DELETE', '/api/v1/schedules/nightly-resize')).status).toBe(204);
      expect((await api.request('GET', `/api/v1/tasks/${run.taskId}`)).status).toBe(200);
      expect((await api.request('GET', '/api/v1/schedules')).json).toEqual([]);
    });

    it("gives the next fire times in the schedule's zone, after now or after `from`", async () => {
      const api = await start(apiTasks);
      await api.request('POST', '/api/v1/schedules', nightly);
      const from = '2026-03-01T00:00:00.000Z';
      const next = await api.request(
        'GET',
        `/api/v1/schedules/nightly-resize/next?count=3&from=${from}`,
      );
      expect(next.json).toEqual([
        '2026-03-01T18:00:00.000Z',
        '2026-03-02T18:00:00.000Z',
        '2026-03-03T18:00:00.000Z',
      ]);
      const soon = (await api.request('GET', '/api/v1/schedules/nightly-resize/next?count=2'))
        .json as string[];
      expect(soon).toHaveLength(2);
      expect(Date.parse(soon[0] as string)).toBeGreaterThan(Date.now() - 1000);
      expect(
        (await refused(api, 'GET', '/api/v1/schedules/nightly-resize/next?count=0')).status,
      ).toBe(400);
    });

    it('applies a set: created, updated, unchanged, and those it lacks disabled, all or none', async () => {
      const api = await start(apiTasks);
      const hourly = { name: 'hourly', cron: '@hourly', task: 'image.resize', input };
      await api.request('POST', '/api/v1/schedules', nightly);
      await api.request('POST', '/api/v1/schedules', { ...hourly, name: 'old' });
      const put = (schedules: unknown[]) => api.request('PUT', '/api/v1/schedules', { schedules });
      const first = await put([{ ...nightly, cron: '0 3 * * *' }, hourly]);
      expect(first.status).toBe(200);
      expect(first.json).toEqual({
        created: ['hourly'],
        updated: ['nightly-resize'],
        unchanged: [],
        disabled: ['old'],
      } satisfies ScheduleApplyResult);
      expect(
        (
          (await put([{ ...nightly, cron: '0 3 * * *' }, hourly])).json as ScheduleApplyResult
        ).unchanged.sort(),
      ).toEqual(['hourly', 'nightly-resize']);
      const bad = await refused(api, 'PUT', '/api/v1/schedules', {
        schedules: [
          { ...hourly, name: 'new-one' },
          { ...nightly, cron: '61 * * * *' },
        ],
      });
      expect(bad).toMatchObject({ status: 400, code: 'SCHEDULE_INVALID' });
      const names = ((await api.request('GET', '/api/v1/schedules')).json as Schedule[]).map(
        (s) => s.name,
      );
      expect(names.sort()).toEqual(['hourly', 'nightly-resize', 'old']);
    });
  });
});

describe('the OpenAPI document of schedules', () => {
  const start = useApi(SQLITE);
  it("describes the routes, the Schedule and ScheduleRun bodies, and the task's nullable link", async () => {
    const api = await start(apiTasks);
    const doc = (await api.request('GET', '/api/openapi.json')).json as {
      paths: Record<string, Record<string, { operationId?: string }>>;
      components: { schemas: Record<string, { properties?: Record<string, { type?: unknown }> }> };
    };
    const ops = Object.entries(doc.paths)
      .filter(([p]) => p.startsWith('/api/v1/schedules'))
      .flatMap(([, o]) => Object.values(o).map((x) => x.operationId));
    expect(ops.sort()).toEqual(
      [
        'applySchedules',
        'createSchedule',
        'deleteSchedule',
        'disableSchedule',
        'enableSchedule',
        'getSchedule',
        'listScheduleRuns',
        'listSchedules',
        'nextScheduleTimes',
        'runSchedule',
        'scheduleReport',
        'updateSchedule',
      ].sort(),
    );
    const { schemas } = doc.components;
    expect(schemas['Schedule']?.properties?.['nextRunAt']).toBeDefined();
    expect(schemas['ScheduleRun']?.properties?.['manual']).toBeDefined();
    expect(schemas['Task']?.properties?.['schedule']?.type).toEqual(['object', 'null']);
  });
});
