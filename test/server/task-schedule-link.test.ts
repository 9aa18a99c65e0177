import { expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.ts';
import { SQLITE } from '../helpers/backends.ts';
import { useApi } from '../helpers/server.ts';
import { BY_HAND, T0, TASKS } from '../scheduler/simulation.ts';

const api = useApi(SQLITE);

it("shows a scheduled task's link in its HTTP body, and null for other tasks", async () => {
  const { mill, request } = await api(
    TASKS,
    {},
    { clock: new ManualClock(T0), scheduler: BY_HAND },
  );
  await mill.schedules.add({ name: 'nightly', cron: '@daily', task: 'tick' });
  const run = await mill.schedules.runNow('nightly');
  const plain = await mill.submit('tick', {});
  const scheduled = await request('GET', `/api/v1/tasks/${run.taskId}`);
  expect(scheduled.status).toBe(200);
  expect((scheduled.json as { schedule: unknown }).schedule).toEqual({
    schedule: 'nightly',
    scheduledAt: new Date(T0).toISOString(),
    backfill: false,
    manual: true,
  });
  const other = await request('GET', `/api/v1/tasks/${plain.id}`);
  expect((other.json as { schedule: unknown }).schedule).toBeNull();
  const list = await request('GET', '/api/v1/tasks');
  const tasks = (list.json as { tasks: { id: string; schedule: unknown }[] }).tasks;
  expect(tasks.find((t) => t.id === run.taskId)?.schedule).toMatchObject({ schedule: 'nightly' });
});
