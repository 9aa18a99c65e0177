import { describe, expect, it } from 'vitest';
import type { QueueInfo, Task } from '../../src/index.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useApi } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';

const good = { url: 'https://example.com/a.png', width: 320 };

forEachBackend((backend) => {
  const start = useApi(backend);

  describe('queues, workers and stats', () => {
    it('pauses, resumes and limits a queue, and counts its tasks', async () => {
      const api = await start(apiTasks);
      await api.request('POST', '/api/v1/tasks', {
        type: 'image.resize',
        input: good,
        queue: 'img',
      });
      expect((await api.request('POST', '/api/v1/queues/img/pause')).status).toBe(200);
      let queues = (await api.request('GET', '/api/v1/queues')).json as QueueInfo[];
      expect(queues.find((q) => q.name === 'img')).toMatchObject({
        paused: true,
        counts: { queued: 1 },
      });
      const limit = await api.request('PUT', '/api/v1/queues/img/concurrency', { limit: 2 });
      expect(limit.status).toBe(200);
      expect((await api.request('POST', '/api/v1/queues/img/resume')).status).toBe(200);
      queues = (await api.request('GET', '/api/v1/queues')).json as QueueInfo[];
      expect(queues.find((q) => q.name === 'img')).toMatchObject({ paused: false, concurrency: 2 });
      const bad = await api.request('PUT', '/api/v1/queues/img/concurrency', { limit: 0 });
      expect(bad.status).toBe(400);
      const badName = await api.request('POST', '/api/v1/queues/no%20spaces/pause');
      expect(badName.status).toBe(400);
    });

    it('lists workers with the tasks each holds', async () => {
      const api = await start(apiTasks);
      const worker = await api.mill.startWorker({ handleSignals: false });
      await api.request('POST', '/api/v1/queues/default/pause');
      const task = (
        await api.request('POST', '/api/v1/tasks', { type: 'image.resize', input: good })
      ).json as Task;
      const workers = (await api.request('GET', '/api/v1/workers')).json as {
        id: string;
        state: string;
        tasks: string[];
        lastHeartbeatAt: string;
      }[];
      expect(workers).toHaveLength(1);
      expect(workers[0]).toMatchObject({ id: worker.id, state: 'online', tasks: [] });
      expect(Number.isNaN(Date.parse(workers[0]?.lastHeartbeatAt ?? ''))).toBe(false);
      await api.request('POST', '/api/v1/queues/default/resume');
      await api.mill.wait(task.id);
      const stats = (await api.request('GET', '/api/v1/stats')).json as {
        total: number;
        byStatus: Record<string, number>;
      };
      expect(stats.total).toBe(1);
      expect(stats.byStatus['completed']).toBe(1);
    });

    it('shows a running task under the worker that holds it', async () => {
      const api = await start(apiTasks);
      const worker = await api.mill.startWorker({ handleSignals: false });
      const task = (
        await api.request('POST', '/api/v1/tasks', { type: 'sleep', input: { ms: 30_000 } })
      ).json as Task;
      await waitFor(
        'the task to run',
        async () => (await api.mill.get(task.id)).status === 'running',
      );
      const workers = (await api.request('GET', '/api/v1/workers')).json as {
        id: string;
        tasks: string[];
      }[];
      expect(workers.find((w) => w.id === worker.id)?.tasks).toEqual([task.id]);
      expect((await api.request('POST', `/api/v1/tasks/${task.id}/cancel`)).status).toBe(200);
    });
  });
});
