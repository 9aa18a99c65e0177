/**
 * The typed client against a real server over a real socket, on each backend: every call, the
 * library's shapes (dates as Date), and the server's error codes carried over as TaskmillErrors.
 */
import { describe, expect, it } from 'vitest';
import { createClient, type RemoteTask, type Task } from '../../src/index.ts';
import { parseTokens } from '../../src/server/auth.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { errorOf } from '../helpers/error-of.ts';
import { useApi } from '../helpers/server.ts';

const good = { url: 'https://example.com/a.png', width: 320 };

/** What `mill.get` gives, less the two fields the API keeps to the worker. */
function asRemote(task: Task): RemoteTask {
  const { leaseExpiresAt: _lease, crashCount: _crashes, ...rest } = task;
  return rest;
}

forEachBackend((backend) => {
  const start = useApi(backend);

  describe('the client', () => {
    it('submits one task and a batch, and reads them back as the library does', async () => {
      const api = await start(apiTasks);
      const client = createClient<typeof apiTasks>({ url: api.server.url });
      const task = await client.submit('image.resize', good, {
        priority: 'high',
        queue: 'images',
        delayMs: 60_000,
        idempotencyKey: 'k-1',
        maxAttempts: 2,
      });
      expect(task).toMatchObject({ type: 'image.resize', priority: 'high', queue: 'images' });
      expect(task.input.width).toBe(320);
      expect(task.createdAt).toBeInstanceOf(Date);
      expect(task.runAt.getTime()).toBeGreaterThan(Date.now() + 50_000);
      expect(await client.get(task.id)).toEqual(asRemote(await api.mill.get(task.id)));
      const again = await client.submit('image.resize', good, { idempotencyKey: 'k-1' });
      expect(again.id).toBe(task.id);

      const batch = await client.submitMany([
        { type: 'image.resize', input: good, options: { idempotencyKey: 'k-1' } },
        { type: 'always.fail', input: {}, options: { runAt: new Date(Date.now() + 60_000) } },
      ]);
      expect(batch.created).toEqual([false, true]);
      expect(batch.tasks[0]?.id).toBe(task.id);
      expect(batch.tasks[1]?.runAt).toBeInstanceOf(Date);
      const dependent = await client.submit('image.resize', good, { dependsOn: [task.id] });
      expect(dependent.status).toBe('pending');

      // Checked by tsc, never run: the definitions type the name and the input.
      const typed = () => {
        // @ts-expect-error width is a number
        void client.submit('image.resize', { url: good.url, width: 'wide' });
        // @ts-expect-error no such task type
        void client.submit('image.crop', {});
      };
      expect(typed).toBeTypeOf('function');
    });

    it('lists with filters, pages with the cursor, and walks every page', async () => {
      const api = await start(apiTasks);
      const client = createClient({ url: api.server.url });
      const items = [1, 2, 3, 4, 5].map((width) => ({
        type: 'image.resize',
        input: { url: `https://example.com/${width}.png`, width },
      }));
      const { tasks } = await client.submitMany(items);
      await client.submit('always.fail', {});
      const first = await client.list({ type: 'image.resize', limit: 2, order: 'asc' });
      expect(first.tasks.map((t) => t.id)).toEqual(tasks.slice(0, 2).map((t) => t.id));
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await client.list({
        type: ['image.resize'],
        limit: 2,
        order: 'asc',
        cursor: first.nextCursor,
      });
      expect(second.tasks.map((t) => t.id)).toEqual(tasks.slice(2, 4).map((t) => t.id));
      const all: string[] = [];
      for await (const t of client.listAll({ type: 'image.resize', limit: 2, order: 'asc' })) {
        all.push(t.id);
      }
      expect(all).toEqual(tasks.map((t) => t.id));
      expect((await client.list({ search: '3.png' })).tasks.map((t) => t.id)).toEqual([
        tasks[2]?.id,
      ]);
      expect((await client.list({ status: ['queued'], type: 'always.fail' })).tasks).toHaveLength(
        1,
      );
      const later = await client.list({ createdFrom: Date.now() + 60_000 });
      expect(later).toEqual({ tasks: [], nextCursor: null });
    });

    it('reads history, logs and artifacts of a finished task, and downloads one checked', async () => {
      const api = await start(apiTasks);
      await api.mill.startWorker({ handleSignals: false });
      const client = createClient({ url: api.server.url });
      const task = await client.submit('image.resize', good);
      const done = await client.wait(task.id, { timeoutMs: 10_000 });
      expect(done).toMatchObject({ status: 'completed', output: { bytes: 3200 }, progress: 50 });
      expect(done.finishedAt).toBeInstanceOf(Date);
      expect(await client.history(task.id)).toEqual(await api.mill.history(task.id));
      const logs = await client.logs(task.id);
      expect(logs).toEqual(await api.mill.logs(task.id));
      expect(await client.logs(task.id, { afterId: logs.at(-1)?.id })).toEqual([]);
      const artifacts = await client.artifacts(task.id);
      const local = await api.mill.artifacts(task.id);
      expect(artifacts).toEqual(local.map(({ path: _path, ...rest }) => rest));
      const [artifact] = artifacts;
      if (!artifact) throw new Error('the task kept no artifact');
      const file = await client.downloadArtifact(task.id, artifact.id);
      expect(file.name).toBe('out.txt');
      expect(Buffer.from(file.bytes).toString()).toBe('width 320');
      expect(file.sha256).toBe(artifact.sha256);
      const stats = await client.stats();
      expect(stats).toMatchObject({ total: 1, byStatus: { completed: 1 } });
      const hours = [stats, ...Object.values(stats.perType), ...Object.values(stats.perQueue)]
        .flatMap((group) => group.hourly)
        .map((h) => h.hour);
      expect(hours.length).toBeGreaterThan(0);
      for (const hour of hours) expect(hour).toBeInstanceOf(Date);
    });

    it('cancels, retries, retries by filter, changes a priority and deletes', async () => {
      const api = await start(apiTasks);
      const client = createClient({ url: api.server.url });
      const a = await client.submit('always.fail', {});
      const b = await client.submit('always.fail', {});
      expect((await client.setPriority(a.id, 'critical')).priority).toBe('critical');
      const cancelled = await client.cancel(a.id, 'not needed');
      expect(cancelled.status).toBe('cancelled');
      expect((await client.history(a.id)).at(-1)?.reason).toBe('not needed');
      expect(await client.cancel(b.id)).toMatchObject({ status: 'cancelled' });
      expect(await client.retry(a.id, { maxAttempts: 5 })).toMatchObject({
        status: 'queued',
        maxAttempts: 5,
      });
      expect(await client.retryMany({ status: ['cancelled'] })).toEqual({
        retried: [b.id],
        skipped: [],
      });
      await client.cancel(a.id);
      await client.delete(a.id);
      expect((await errorOf(client.get(a.id))).code).toBe('TASK_NOT_FOUND');
    });

    it('reads task types, queues, workers, stats, health and readiness; steers queues', async () => {
      const api = await start(apiTasks);
      const client = createClient({ url: api.server.url });
      const types = await client.taskTypes();
      expect(types.map((t) => t.name)).toEqual(apiTasks.map((d) => d.name));
      expect(types[0]).toMatchObject({
        submitPath: '/api/v1/types/image.resize/tasks',
        inputSchema: expect.objectContaining({ type: 'object' }),
      });
      await client.submit('always.fail', {});
      await client.pauseQueue('default');
      await client.setQueueConcurrency('default', 3);
      expect(await client.queues()).toEqual([
        {
          name: 'default',
          paused: true,
          concurrency: 3,
          counts: { queued: 1 },
          oldestWaitingAt: expect.any(Date),
          oldestWaitingMs: expect.any(Number),
        },
      ]);
      await client.resumeQueue('default');
      await client.setQueueConcurrency('default', null);
      expect(await client.queues()).toMatchObject([{ paused: false, concurrency: null }]);
      const worker = await api.mill.startWorker({ handleSignals: false });
      const workers = await client.workers();
      expect(workers).toEqual([
        expect.objectContaining({ id: worker.id, state: 'online', tasks: expect.any(Array) }),
      ]);
      expect(workers[0]?.lastHeartbeatAt).toBeInstanceOf(Date);
      const stats = await client.stats();
      expect(stats.total).toBe(1);
      expect(stats.byType['always.fail']).toBeDefined();
      expect(await client.health()).toEqual({ ok: true, status: 'ok', checks: {} });
      expect(await client.ready()).toMatchObject({ ok: true, checks: { database: 'ok' } });
    });

    it("throws the server's errors with their code, message, details and status", async () => {
      const api = await start(apiTasks);
      const client = createClient({ url: api.server.url });
      const id = '00000000-0000-7000-8000-000000000000';
      const missing = await errorOf(client.get(id));
      expect(missing).toMatchObject({ code: 'TASK_NOT_FOUND', httpStatus: 404, details: { id } });
      expect(missing.message).toContain(id);
      const invalid = await errorOf(client.submit('image.resize', { ...good, width: 0 }));
      expect(invalid).toMatchObject({ code: 'TASK_INPUT_INVALID', httpStatus: 400 });
      expect(invalid.details['issues']).toEqual([
        expect.objectContaining({ path: expect.stringContaining('input.width') }),
      ]);
      const unknown = await errorOf(client.submit('image.crop', {}));
      expect(unknown).toMatchObject({ code: 'TASK_TYPE_UNKNOWN', details: { type: 'image.crop' } });
      const task = await client.submit('always.fail', {});
      await client.cancel(task.id);
      const illegal = await errorOf(client.cancel(task.id));
      expect(illegal).toMatchObject({ code: 'TASK_ILLEGAL_TRANSITION', httpStatus: 409 });
      // Longer than the 200 characters the API takes: a limit only the server judges.
      const badQuery = await errorOf(client.list({ search: 'x'.repeat(201) }));
      expect(badQuery).toMatchObject({ code: 'REQUEST_INVALID', httpStatus: 400 });
      expect((await errorOf(client.downloadArtifact(task.id, id))).code).toBe('ARTIFACT_NOT_FOUND');
    });

    it('sends the token; the server says which scope a token lacks', async () => {
      const tokens = parseTokens('reader-token-0123456789:read writer-token-0123456789:write', 't');
      const api = await start(apiTasks, { tokens });
      const url = api.server.url;
      expect((await errorOf(createClient({ url }).list())).code).toBe('AUTH_REQUIRED');
      const wrong = createClient({ url, token: 'unknown-token-0123456789' });
      expect((await errorOf(wrong.list())).code).toBe('AUTH_INVALID');
      const reader = createClient({ url, token: 'reader-token-0123456789' });
      expect((await reader.list()).tasks).toEqual([]);
      const forbidden = await errorOf(reader.submit('always.fail', {}));
      expect(forbidden).toMatchObject({
        code: 'AUTH_FORBIDDEN',
        httpStatus: 403,
        details: { needs: 'write' },
      });
      const writer = createClient({ url, token: 'writer-token-0123456789' });
      const task = await writer.submit('always.fail', {});
      expect((await errorOf(writer.delete(task.id))).details).toEqual({ needs: 'admin' });
      // Liveness needs no token.
      expect((await createClient({ url }).health()).ok).toBe(true);
    });
  });
});
