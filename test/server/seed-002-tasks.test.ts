/**
 * Seed 002's task API (issue 17), with the seed's own bodies: a named task created with
 * `taskType`, a numeric `priority` and `config`; lists by page with a total; PATCH of a waiting
 * task; PUT of an operator's status with a reason; enum errors that list the allowed values.
 */
import { describe, expect, it } from 'vitest';
import type { HistoryEntry, Task, TaskmillEvents } from '../../src/index.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useApi } from '../helpers/server.ts';

interface ErrorJson {
  error: { code: string; message: string; details: Record<string, unknown> };
}
interface PageJson {
  tasks: Task[];
  nextCursor: string | null;
  total?: number;
  page?: number;
}

const errorOf = (json: unknown) => (json as ErrorJson).error;

forEachBackend((backend) => {
  const start = useApi(backend);

  describe('POST /api/v1/tasks with seed 002 body', () => {
    it('takes name, taskType, a numeric priority and config, and the name is shown and searched', async () => {
      const api = await start(apiTasks);
      const created = await api.request('POST', '/api/v1/tasks', {
        name: '示例任务 sleep',
        taskType: 'sleep',
        priority: 1,
        config: { ms: 1 },
      });
      expect(created.status, created.text).toBe(201);
      const task = created.json as Task;
      expect(task).toMatchObject({
        name: '示例任务 sleep',
        type: 'sleep',
        priority: 'high',
        input: { ms: 1 },
      });
      await api.request('POST', '/api/v1/tasks', { type: 'sleep', input: { ms: 2 } });
      const found = await api.request('GET', `/api/v1/tasks?q=${encodeURIComponent('示例任务')}`);
      expect((found.json as PageJson).tasks.map((t) => [t.id, t.name])).toEqual([
        [task.id, '示例任务 sleep'],
      ]);
      const read = await api.request('GET', `/api/v1/tasks/${task.id}`);
      expect((read.json as Task).name).toBe('示例任务 sleep');
    });

    it('refuses a pair given twice or not at all, a bad name, and stores nothing', async () => {
      const api = await start(apiTasks);
      const both = await api.request('POST', '/api/v1/tasks', {
        type: 'sleep',
        taskType: 'sleep',
        input: { ms: 1 },
      });
      expect(both.status).toBe(400);
      expect(errorOf(both.json)).toMatchObject({ code: 'REQUEST_INVALID' });
      expect(errorOf(both.json).message).toMatch(/"type" or its alias "taskType", not both/);
      const twice = await api.request('POST', '/api/v1/tasks', {
        type: 'sleep',
        input: { ms: 1 },
        config: { ms: 1 },
      });
      expect(errorOf(twice.json).message).toMatch(/"input" or its alias "config", not both/);
      const none = await api.request('POST', '/api/v1/tasks', { input: { ms: 1 } });
      expect(errorOf(none.json).message).toMatch(/"type" \(or its alias "taskType"\) is required/);
      const batch = await api.request('POST', '/api/v1/tasks/batch', {
        tasks: [{ taskType: 'sleep', config: { ms: 1 } }, { taskType: 'sleep' }],
      });
      expect(errorOf(batch.json).message).toMatch(/tasks\.1\.input/);
      for (const name of ['', 'x'.repeat(201)]) {
        const bad = await api.request('POST', '/api/v1/tasks', {
          type: 'sleep',
          input: { ms: 1 },
          name,
        });
        expect(bad.status).toBe(400);
      }
      const blank = await api.request('POST', '/api/v1/tasks', {
        type: 'sleep',
        input: { ms: 1 },
        name: '   ',
      });
      expect(errorOf(blank.json)).toMatchObject({ code: 'OPTIONS_INVALID' });
      expect((await api.request('GET', '/api/v1/tasks?total=true')).json).toMatchObject({
        tasks: [],
        total: 0,
      });
    });
  });

  describe('GET /api/v1/tasks by page', () => {
    it('gives page and limit with the total, and a total on a cursor page only when asked', async () => {
      const api = await start(apiTasks);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await api.mill.submit('sleep', { ms: i })).id);
      await api.mill.submit('always.fail', {});
      const second = await api.request(
        'GET',
        '/api/v1/tasks?page=2&limit=2&type=sleep&sort=createdAt&order=asc',
      );
      expect(second.status, second.text).toBe(200);
      const page = second.json as PageJson & { limit: number };
      expect(page.tasks.map((t) => t.id)).toEqual(ids.slice(2, 4));
      expect(page).toMatchObject({ total: 5, page: 2, limit: 2 });
      const third = (await api.request('GET', '/api/v1/tasks?page=3&limit=2&type=sleep'))
        .json as PageJson;
      expect(third.tasks).toHaveLength(1);
      expect(third.total).toBe(5);

      const plain = (await api.request('GET', '/api/v1/tasks?limit=2')).json as PageJson;
      expect(plain.total).toBeUndefined();
      const counted = (await api.request('GET', '/api/v1/tasks?limit=2&total=true'))
        .json as PageJson;
      expect(counted.total).toBe(6);

      const mixed = await api.request(
        'GET',
        `/api/v1/tasks?page=2&cursor=${encodeURIComponent(plain.nextCursor ?? '')}`,
      );
      expect(mixed.status).toBe(400);
      expect(errorOf(mixed.json).message).toMatch(/"page" or "cursor", not both/);
    });
  });

  describe('enum errors', () => {
    it('name the allowed values of status, sort, order and priority', async () => {
      const api = await start(apiTasks);
      const status = await api.request('GET', '/api/v1/tasks?status=PENDING');
      expect(status.status).toBe(400);
      expect(errorOf(status.json).message).toMatch(
        /status.*must be one of: pending, queued, paused, running, retrying, completed/,
      );
      const sort = await api.request('GET', '/api/v1/tasks?sort=name');
      expect(errorOf(sort.json).message).toMatch(/must be one of: createdAt, updatedAt, runAt/);
      const order = await api.request('GET', '/api/v1/tasks?order=up');
      expect(errorOf(order.json).message).toMatch(/must be one of: asc, desc/);
      const priority = await api.request('POST', '/api/v1/tasks', {
        type: 'sleep',
        input: { ms: 1 },
        priority: 7,
      });
      expect(errorOf(priority.json).message).toMatch(
        /priority: must be one of: critical, high, normal, low, 0, 1, 2, 3/,
      );
    });
  });

  describe('PATCH /api/v1/tasks/{id}', () => {
    it('changes input, priority, run-at, queue and name of a waiting task, recorded in its history', async () => {
      const api = await start(apiTasks);
      const task = await api.mill.submit('sleep', { ms: 1 }, { delayMs: 60_000 });
      const runAt = new Date(Date.now() + 3_600_000).toISOString();
      const answer = await api.request('PATCH', `/api/v1/tasks/${task.id}`, {
        input: { ms: 5 },
        priority: 0,
        runAt,
        queue: 'slow',
        name: 'renamed',
      });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.json).toMatchObject({
        input: { ms: 5 },
        priority: 'critical',
        runAt,
        queue: 'slow',
        name: 'renamed',
        status: 'queued',
      });
      const history = (await api.request('GET', `/api/v1/tasks/${task.id}/history`))
        .json as HistoryEntry[];
      expect(history.at(-1)).toMatchObject({
        from: 'queued',
        to: 'queued',
        reason: 'updated: input, priority, runAt, queue, name',
      });
      const cleared = await api.request('PATCH', `/api/v1/tasks/${task.id}`, { name: null });
      expect((cleared.json as Task).name).toBeNull();
    });

    it('refuses an input its schema refuses, an empty or unknown change, and a task that runs or ended, changing nothing', async () => {
      const api = await start(apiTasks);
      const task = await api.mill.submit('sleep', { ms: 1 }, { delayMs: 60_000 });
      const before = (await api.request('GET', `/api/v1/tasks/${task.id}`)).text;
      const bad = await api.request('PATCH', `/api/v1/tasks/${task.id}`, {
        input: { ms: -1 },
        name: 'never',
      });
      expect(bad.status).toBe(400);
      expect(errorOf(bad.json).code).toBe('TASK_INPUT_INVALID');
      const empty = await api.request('PATCH', `/api/v1/tasks/${task.id}`, {});
      expect(empty.status).toBe(400);
      const unknown = await api.request('PATCH', `/api/v1/tasks/${task.id}`, { status: 'queued' });
      expect(errorOf(unknown.json).message).toMatch(/unknown field "status"/);
      expect((await api.request('GET', `/api/v1/tasks/${task.id}`)).text).toBe(before);

      await api.mill.cancel(task.id);
      const ended = await api.request('PATCH', `/api/v1/tasks/${task.id}`, { priority: 'low' });
      expect(ended.status).toBe(409);
      expect(errorOf(ended.json)).toMatchObject({
        code: 'TASK_ILLEGAL_TRANSITION',
        details: { status: 'cancelled' },
      });
    });
  });

  describe('PUT /api/v1/tasks/{id}/status', () => {
    it('pauses a task (never run while paused) and resumes it, each with its reason in the history and a task.status event', async () => {
      const api = await start(apiTasks);
      const events: TaskmillEvents['task.status'][] = [];
      api.mill.on('task.status', (e) => events.push(e));
      const held = await api.mill.submit('sleep', { ms: 1 });
      const paused = await api.request('PUT', `/api/v1/tasks/${held.id}/status`, {
        status: 'paused',
        reason: '等待审核',
      });
      expect(paused.status, paused.text).toBe(200);
      expect((paused.json as Task).status).toBe('paused');

      await api.mill.startWorker({ handleSignals: false, pollMs: 20 });
      const other = await api.mill.submit('sleep', { ms: 1 });
      await api.mill.wait(other.id, { timeoutMs: 10_000 });
      expect((await api.mill.get(held.id)).status).toBe('paused');

      const resumed = await api.request('PUT', `/api/v1/tasks/${held.id}/status`, {
        status: 'queued',
        reason: 'reviewed',
      });
      expect((resumed.json as Task).status).toBe('queued');
      expect((await api.mill.wait(held.id, { timeoutMs: 10_000 })).status).toBe('completed');

      const history = (await api.request('GET', `/api/v1/tasks/${held.id}/history`))
        .json as HistoryEntry[];
      expect(history.slice(1, 3).map((h) => [h.from, h.to, h.reason])).toEqual([
        ['queued', 'paused', '等待审核'],
        ['paused', 'queued', 'reviewed'],
      ]);
      const mine = events.filter((e) => e.taskId === held.id).map((e) => [e.from, e.to, e.reason]);
      expect(mine).toContainEqual(['queued', 'paused', '等待审核']);
      expect(mine).toContainEqual(['paused', 'queued', 'reviewed']);
    });

    it('cancels with the reason, and refuses a status an operator may not set, listing what may be', async () => {
      const api = await start(apiTasks);
      const task = await api.mill.submit('sleep', { ms: 1 });
      const running = await api.request('PUT', `/api/v1/tasks/${task.id}/status`, {
        status: 'running',
      });
      expect(running.status).toBe(409);
      expect(errorOf(running.json)).toMatchObject({
        code: 'TASK_ILLEGAL_TRANSITION',
        details: { from: 'queued', to: 'running', allowed: ['paused', 'cancelled'] },
      });
      expect(errorOf(running.json).message).toMatch(
        /From queued an operator may set: paused, cancelled/,
      );
      const resume = await api.request('PUT', `/api/v1/tasks/${task.id}/status`, {
        status: 'queued',
      });
      expect(resume.status).toBe(409);
      const upper = await api.request('PUT', `/api/v1/tasks/${task.id}/status`, {
        status: 'RUNNING',
        reason: '任务开始执行',
      });
      expect(upper.status).toBe(400);
      expect(errorOf(upper.json).message).toMatch(/must be one of: pending, queued, paused/);
      expect((await api.mill.get(task.id)).status).toBe('queued');

      const cancelled = await api.request('PUT', `/api/v1/tasks/${task.id}/status`, {
        status: 'cancelled',
        reason: 'not needed',
      });
      expect((cancelled.json as Task).status).toBe('cancelled');
      const history = await api.mill.history(task.id);
      expect(history.at(-1)).toMatchObject({ to: 'cancelled', reason: 'not needed' });
      const again = await api.request('PUT', `/api/v1/tasks/${task.id}/status`, {
        status: 'paused',
      });
      expect(errorOf(again.json).message).toMatch(/an operator may set: nothing/);
      const missing = await api.request(
        'PUT',
        '/api/v1/tasks/01890000-0000-7000-8000-000000000000/status',
        { status: 'paused' },
      );
      expect(missing.status).toBe(404);
    });
  });
});
