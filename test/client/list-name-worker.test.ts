/**
 * Task lists filtered by name and by the worker that holds them (issue 18), end to end: the
 * client's options, the API's `name` and `worker` query parameters, the library and the store.
 */
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/index.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useApi } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';

forEachBackend((backend) => {
  const start = useApi(backend);

  describe('listing by name and by worker', () => {
    it('finds tasks by text in their name, over HTTP and through the client', async () => {
      const api = await start(apiTasks);
      const client = createClient({ url: api.server.url });
      const good = { url: 'https://example.com/report.png', width: 10 };
      const nightly = await client.submit('image.resize', good, { name: 'Nightly REPORT' });
      await client.submit('image.resize', good, { name: 'thumbnails' });
      await client.submit('image.resize', good);

      const byClient = await client.list({ name: 'report', total: true });
      expect(byClient.tasks.map((t) => t.id)).toEqual([nightly.id]);
      expect(byClient.total).toBe(1);
      const raw = await api.request('GET', '/api/v1/tasks?name=nightly%20rep');
      expect(raw.status).toBe(200);
      expect((raw.json as { tasks: { id: string }[] }).tasks.map((t) => t.id)).toEqual([
        nightly.id,
      ]);
      const tooLong = await api.request('GET', `/api/v1/tasks?name=${'x'.repeat(201)}`);
      expect(tooLong.status).toBe(400);
    });

    it('lists the tasks a worker runs now', async () => {
      const api = await start(apiTasks);
      const client = createClient({ url: api.server.url });
      const slow = await client.submit('sleep', { ms: 60_000 });
      const worker = await api.mill.startWorker({ handleSignals: false });
      await waitFor(
        'the task to start',
        async () => (await client.get(slow.id)).status === 'running',
      );

      const held = await client.list({ workerId: worker.id });
      expect(held.tasks.map((t) => t.id)).toEqual([slow.id]);
      const raw = await api.request('GET', `/api/v1/tasks?worker=${encodeURIComponent(worker.id)}`);
      expect((raw.json as { tasks: { id: string }[] }).tasks.map((t) => t.id)).toEqual([slow.id]);
      expect((await client.list({ workerId: 'someone-else' })).tasks).toEqual([]);

      await client.cancel(slow.id);
      await api.mill.wait(slow.id);
      expect((await client.list({ workerId: worker.id })).tasks).toEqual([]);
    });
  });
});
