/**
 * Seed 002's task operations through the typed client and the library alike (issue 17): a name
 * at submit, numbered pages with a total, update of a waiting task, pause and resume of one.
 * The client against a real server on a real socket; the library on the same database.
 */
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/index.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { errorOf } from '../helpers/error-of.ts';
import { useApi } from '../helpers/server.ts';

const good = { url: 'https://example.com/a.png', width: 320 };

forEachBackend((backend) => {
  const start = useApi(backend);

  describe('the client and the library: named tasks, pages, update, pause and resume', () => {
    it('submits a name (one and in a batch) and reads numbered pages with their total', async () => {
      const api = await start(apiTasks);
      const client = createClient<typeof apiTasks>({ url: api.server.url });
      const one = await client.submit('image.resize', good, { name: 'Banner' });
      expect(one.name).toBe('Banner');
      const { tasks } = await client.submitMany([
        { type: 'image.resize', input: good, options: { name: 'Thumb' } },
        { type: 'image.resize', input: good },
      ]);
      expect(tasks.map((t) => t.name)).toEqual(['Thumb', null]);
      const lib = await api.mill.submit('image.resize', good, { name: 'From the library' });
      expect((await api.mill.get(lib.id)).name).toBe('From the library');

      const second = await client.list({ page: 2, limit: 3, sort: 'createdAt', order: 'asc' });
      expect(second.total).toBe(4);
      expect(second.tasks.map((t) => t.id)).toEqual([lib.id]);
      const libPage = await api.mill.list({ page: 1, limit: 3, order: 'asc' });
      expect(libPage.total).toBe(4);
      expect(libPage.tasks.map((t) => t.name)).toEqual(['Banner', 'Thumb', null]);
      expect((await client.list({ limit: 1 })).total).toBeUndefined();
      expect((await api.mill.list({ limit: 1, total: true })).total).toBe(4);
      const bothErr = await errorOf(api.mill.list({ page: 1, cursor: 'abc' }));
      expect(bothErr).toMatchObject({ code: 'OPTIONS_INVALID' });
      const misspelt = await errorOf(api.mill.list({ status: ['queued', 'PENDING' as never] }));
      expect(misspelt).toMatchObject({ code: 'OPTIONS_INVALID' });
      expect((misspelt as Error).message).toMatch(/must be one of: pending, queued, paused/);
      const badName = await errorOf(api.mill.submit('image.resize', good, { name: '' }));
      expect(badName).toMatchObject({ code: 'OPTIONS_INVALID' });
      expect(await errorOf(client.listAll({ page: 2 }).next())).toMatchObject({
        code: 'OPTIONS_INVALID',
      });
    });

    it('updates a waiting task, refusing what its schema refuses, and pauses and resumes it', async () => {
      const api = await start(apiTasks);
      const client = createClient<typeof apiTasks>({ url: api.server.url });
      const task = await client.submit('image.resize', good, { delayMs: 60_000 });
      const runAt = new Date(Date.now() + 3_600_000);
      const updated = await client.update(task.id, {
        input: { ...good, width: 640 },
        priority: 'low',
        runAt,
        name: 'bigger',
      });
      expect(updated).toMatchObject({ input: { width: 640 }, priority: 'low', name: 'bigger' });
      expect(updated.runAt.getTime()).toBe(runAt.getTime());
      expect(await errorOf(client.update(task.id, { input: { width: 0 } }))).toMatchObject({
        code: 'TASK_INPUT_INVALID',
      });
      expect(await errorOf(api.mill.update(task.id, {}))).toMatchObject({
        code: 'OPTIONS_INVALID',
      });
      expect(await errorOf(api.mill.update(task.id, { colour: 'red' } as never))).toMatchObject({
        code: 'OPTIONS_INVALID',
      });
      expect((await api.mill.get(task.id)).input).toEqual({ ...good, width: 640 });

      const paused = await client.pause(task.id, { reason: 'hold' });
      expect(paused.status).toBe('paused');
      expect(await errorOf(api.mill.pause(task.id))).toMatchObject({
        code: 'TASK_ILLEGAL_TRANSITION',
      });
      const resumed = await api.mill.resume(task.id);
      expect(resumed.status).toBe('queued');
      const reasons = (await client.history(task.id)).map((h) => h.reason);
      expect(reasons.slice(-2)).toEqual(['hold', 'resumed by request']);
      expect(await errorOf(client.resume(task.id))).toMatchObject({
        code: 'TASK_ILLEGAL_TRANSITION',
        httpStatus: 409,
      });
    });
  });
});
