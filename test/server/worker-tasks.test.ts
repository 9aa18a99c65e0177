/** `GET /api/v1/workers/{workerId}/tasks` and `client.workerTasks`: the tasks a worker runs now,
 * whole, over a real socket on SQLite. */
import { describe, expect, it } from 'vitest';
import { createClient, type Task } from '../../src/index.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { SQLITE } from '../helpers/backends.ts';
import { errorOf } from '../helpers/error-of.ts';
import { useApi } from '../helpers/server.ts';

describe("a worker's tasks", () => {
  const start = useApi(SQLITE);

  it('lists the tasks each worker runs now, whole, and none of the others', async () => {
    const api = await start(apiTasks);
    const { mill } = api;
    const running = new Set<string>();
    let allRunning!: () => void;
    const started = new Promise<void>((resolve) => (allRunning = resolve));
    mill.on('task.status', (e) => {
      if (e.to === 'running') running.add(e.taskId);
      if (running.size === 3) allRunning();
    });
    const a = await mill.startWorker({ handleSignals: false, queues: ['a'], concurrency: 2 });
    const b = await mill.startWorker({ handleSignals: false, queues: ['b'], concurrency: 1 });
    const idle = await mill.startWorker({ handleSignals: false, queues: ['none'] });
    const a1 = await mill.submit('sleep', { ms: 60_000 }, { queue: 'a' });
    const a2 = await mill.submit('sleep', { ms: 60_000 }, { queue: 'a' });
    const b1 = await mill.submit('sleep', { ms: 60_000 }, { queue: 'b' });
    const waiting = await mill.submit('sleep', { ms: 1 }, { queue: 'c' });
    await started;

    const tasksOf = async (id: string) => {
      const res = await api.request('GET', `/api/v1/workers/${id}/tasks`);
      expect(res.status).toBe(200);
      return (res.json as { tasks: Task[] }).tasks;
    };
    const ofA = await tasksOf(a.id);
    expect(ofA.map((t) => t.id)).toEqual([a1.id, a2.id]);
    expect(ofA[0]).toMatchObject({ status: 'running', workerId: a.id, type: 'sleep', queue: 'a' });
    expect((await tasksOf(b.id)).map((t) => t.id)).toEqual([b1.id]);
    expect(await tasksOf(idle.id)).toEqual([]);

    // The worker list's ids agree.
    const listed = (await api.request('GET', '/api/v1/workers')).json as {
      id: string;
      tasks: string[];
    }[];
    expect(listed.find((w) => w.id === a.id)?.tasks.sort()).toEqual([a1.id, a2.id].sort());

    const client = createClient({ url: api.server.url });
    const remote = await client.workerTasks(b.id);
    expect(remote.map((t) => t.id)).toEqual([b1.id]);
    expect(remote[0]?.startedAt).toBeInstanceOf(Date);
    expect((await mill.get(waiting.id)).status).toBe('queued');
    await mill.cancelMany({ status: 'running' });
  });

  it('answers 404 WORKER_NOT_FOUND for an unknown worker and 400 for a malformed id', async () => {
    const api = await start(apiTasks);
    const unknown = await api.request(
      'GET',
      '/api/v1/workers/01a2126e-ba75-7080-bf0b-fcb63fe5316f/tasks',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({
      error: {
        code: 'WORKER_NOT_FOUND',
        details: { workerId: '01a2126e-ba75-7080-bf0b-fcb63fe5316f' },
      },
    });
    expect((await api.request('GET', '/api/v1/workers/a%20b/tasks')).status).toBe(400);
    const client = createClient({ url: api.server.url });
    expect((await errorOf(client.workerTasks('no-such-worker'))).code).toBe('WORKER_NOT_FOUND');
  });
});
