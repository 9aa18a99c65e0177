/**
 * Issue #13: a `worker` token, which many workers may share, must not let one worker act as
 * another, nor let any remote call act for the server's own in-process worker. Each call for a
 * worker id carries the secret its registration answered; the database is unchanged after every
 * refusal.
 */
import { describe, expect, it } from 'vitest';
import { parseTokens } from '../../src/server/auth.ts';
import { startServer } from '../../src/server/serve.ts';
import { remoteTasks } from '../fixtures/remote-tasks.ts';
import { SQLITE } from '../helpers/backends.ts';
import { writesDuring } from '../helpers/db-fingerprint.ts';
import { type Api, useApi } from '../helpers/server.ts';

type Remote = Api<typeof remoteTasks>;
interface Me {
  workerId: string;
  workerSecret: string;
}

const TOKEN = 'shared-worker-token-0001';
const tokens = parseTokens(`${TOKEN}:worker`, 'test');
const REMOTE = { leaseMs: 5_000, pollMs: 50, maxWaitMs: 1_000 };
const HEADER = 'taskmill-worker-secret';

function as(secret: string | undefined): Record<string, string> {
  return {
    authorization: `Bearer ${TOKEN}`,
    ...(secret === undefined ? {} : { [HEADER]: secret }),
  };
}

async function register(api: Remote, name: string): Promise<Me> {
  const body = { name, concurrency: 1, types: ['py.wordcount'] };
  const answer = await api.request('POST', '/api/v1/workers', body, as(undefined));
  expect(answer.status, answer.text).toBe(201);
  return answer.json as Me;
}

function expectRefused(answer: { status: number; json: unknown }, what: string): void {
  expect(answer.status, what).toBe(403);
  expect(answer.json, what).toMatchObject({ error: { code: 'WORKER_SECRET_INVALID' } });
}

describe('a remote worker acts only as itself', () => {
  const start = useApi(SQLITE);

  it('refuses claims, heartbeats, writes and deregistration for another worker’s id', async () => {
    const api = await start(remoteTasks, { tokens, remoteWorkers: REMOTE });
    const a = await register(api, 'a');
    const b = await register(api, 'b');
    expect(a.workerSecret).toMatch(/^[\w-]{43}$/);
    expect(a.workerId).not.toBe(b.workerId);
    const task = await api.mill.submit('py.wordcount', { text: 'x y' });
    const claimed = await api.request(
      'POST',
      `/api/v1/workers/${a.workerId}/claim`,
      { limit: 1 },
      as(a.workerSecret),
    );
    const [held] = (claimed.json as { tasks: { id: string; leaseToken: string }[] }).tasks;
    expect(held?.id).toBe(task.id);
    const leaseToken = held?.leaseToken as string;
    const other = await api.mill.submit('py.wordcount', { text: 'z' });

    const writes = await writesDuring(api.dbUrl, async () => {
      const base = `/api/v1/workers/${a.workerId}`;
      const calls: [string, string, unknown][] = [
        ['POST', `${base}/claim`, { limit: 1 }],
        ['POST', `${base}/heartbeat`, { load: 0, tasks: [{ id: task.id, leaseToken }] }],
        ['POST', `${base}/tasks/${task.id}/progress`, { leaseToken, percent: 99 }],
        [
          'POST',
          `${base}/tasks/${task.id}/complete`,
          { leaseToken, output: { words: 0, lines: 0 } },
        ],
        ['POST', `${base}/tasks/${task.id}/release`, { leaseToken }],
        ['DELETE', base, undefined],
      ];
      for (const [method, path, body] of calls) {
        for (const secret of [b.workerSecret, undefined, '', `${a.workerSecret}x`]) {
          const answer = await api.request(method, path, body, as(secret));
          expectRefused(answer, `${method} ${path} with ${JSON.stringify(secret)}`);
        }
      }
    });
    expect(writes).toEqual([]);
    expect(await api.mill.get(task.id)).toMatchObject({ status: 'running', workerId: a.workerId });
    expect((await api.mill.get(other.id)).status).toBe('queued');
    expect((await api.mill.workers()).map((w) => w.name).sort()).toEqual(['a', 'b']);

    // Its own secret still does everything.
    const done = await api.request(
      'POST',
      `/api/v1/workers/${a.workerId}/tasks/${task.id}/complete`,
      { leaseToken, output: { words: 2, lines: 1 } },
      as(a.workerSecret),
    );
    expect(done.json).toMatchObject({ status: 'completed' });
    const left = await api.request(
      'DELETE',
      `/api/v1/workers/${a.workerId}`,
      undefined,
      as(a.workerSecret),
    );
    expect(left.status).toBe(204);
  });

  it('never lets a remote call deregister or claim for the in-process worker', async () => {
    const api = await start(remoteTasks, { remoteWorkers: REMOTE });
    // No heartbeat during the test: the fingerprint would see it.
    const worker = await api.mill.startWorker({ handleSignals: false, heartbeatMs: 60_000 });
    const served = await startServer(api.mill, { port: 0, tokens, worker });
    try {
      const ready = () => fetch(`${served.url}/health/ready`).then((r) => r.status);
      expect(await ready()).toBe(200);
      const b = await register(api, 'b');
      const writes = await writesDuring(api.dbUrl, async () => {
        for (const secret of [b.workerSecret, undefined]) {
          for (const [method, path, body] of [
            ['DELETE', `/api/v1/workers/${worker.id}`, undefined],
            ['POST', `/api/v1/workers/${worker.id}/claim`, { limit: 1 }],
            ['POST', `/api/v1/workers/${worker.id}/heartbeat`, { load: 0, tasks: [] }],
          ] as const) {
            const answer = await fetch(`${served.url}${path}`, {
              method,
              headers: { 'content-type': 'application/json', ...as(secret) },
              body: body === undefined ? undefined : JSON.stringify(body),
            });
            expectRefused({ status: answer.status, json: await answer.json() }, path);
          }
        }
      });
      expect(writes).toEqual([]);
      expect(await ready()).toBe(200);
      expect((await api.mill.workers()).some((w) => w.id === worker.id)).toBe(true);
    } finally {
      await served.close();
      await worker.stop();
    }
  });
});
