/**
 * Issue #13: a server without tokens (loopback only, `npm start`) must not do what a web page in
 * a browser on the same machine asks. Each attack is sent as the browser would send it, and the
 * database must be as it was after the refusal.
 */
import { describe, expect, it } from 'vitest';
import type { QueueInfo, Task } from '../../src/index.ts';
import { startServer } from '../../src/server/serve.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { SQLITE } from '../helpers/backends.ts';
import { writesDuring } from '../helpers/db-fingerprint.ts';
import { rawRequest } from '../helpers/raw-http.ts';
import { type Api, useApi } from '../helpers/server.ts';

type TasksApi = Api<typeof apiTasks>;

/** What `fetch(url, { method: 'POST', mode: 'no-cors' })` on evil.example sends. */
const NO_CORS = {
  origin: 'http://evil.example',
  'sec-fetch-site': 'cross-site',
  'sec-fetch-mode': 'no-cors',
  'sec-fetch-dest': 'empty',
};
/** What `navigator.sendBeacon(url, '{}')` sends. */
const BEACON = { ...NO_CORS, 'content-type': 'text/plain;charset=UTF-8' };

/** A queued task, a failed one that may not be retried, and the queue `default`. */
async function seed(api: TasksApi): Promise<{ queued: Task; failed: Task }> {
  const failed = await api.mill.submit('always.fail', {});
  const worker = await api.mill.startWorker({ handleSignals: false });
  await api.mill.wait(failed.id, { timeoutMs: 10_000 });
  await worker.stop();
  const queued = await api.mill.submit('sleep', { ms: 1 });
  return { queued, failed: await api.mill.get(failed.id) };
}

describe('a server without tokens, seen from a web page', () => {
  const start = useApi(SQLITE);

  it('refuses cross-site POSTs without a body (no-cors fetch, sendBeacon): pause, cancel, retry', async () => {
    const api = await start(apiTasks);
    const { queued, failed } = await seed(api);
    expect(failed).toMatchObject({ status: 'failed' });
    const url = api.server.url;
    const writes = await writesDuring(api.dbUrl, async () => {
      for (const [path, headers, body] of [
        ['/api/v1/queues/default/pause', NO_CORS, undefined],
        [`/api/v1/tasks/${queued.id}/cancel`, NO_CORS, undefined],
        ['/api/v1/tasks/retry', BEACON, '{}'],
        [`/api/v1/tasks/${failed.id}/retry`, BEACON, '{}'],
        // A browser too old to send Sec-Fetch-Site still says where the page is.
        ['/api/v1/queues/default/pause', { origin: 'http://evil.example' }, undefined],
        ['/api/v1/queues/default/pause', { origin: 'null' }, undefined],
        // Same site, another origin: a page of another program on localhost.
        ['/api/v1/queues/default/pause', { 'sec-fetch-site': 'same-site' }, undefined],
      ] as const) {
        const answer = await rawRequest(url, 'POST', path, headers, body);
        expect(answer.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
        expect(answer.json).toMatchObject({ error: { code: 'ORIGIN_NOT_ALLOWED' } });
      }
    });
    expect(writes).toEqual([]);
    const queues = (await api.request('GET', '/api/v1/queues')).json as QueueInfo[];
    expect(queues.find((q) => q.name === 'default')?.paused).toBe(false);
    expect((await api.mill.get(queued.id)).status).toBe('queued');
    expect((await api.mill.get(failed.id)).status).toBe('failed');
  });

  it('refuses every change not sent as JSON, with or without a body: 415', async () => {
    const api = await start(apiTasks);
    const { queued, failed } = await seed(api);
    const url = api.server.url;
    const writes = await writesDuring(api.dbUrl, async () => {
      for (const [method, path, headers, body] of [
        ['POST', '/api/v1/queues/default/pause', {}, undefined],
        ['POST', `/api/v1/tasks/${queued.id}/cancel`, { 'content-type': 'text/plain' }, '{}'],
        [
          'POST',
          '/api/v1/tasks/retry',
          { 'content-type': 'application/x-www-form-urlencoded' },
          'a=1',
        ],
        ['PATCH', `/api/v1/tasks/${queued.id}`, { 'content-type': 'multipart/form-data' }, ''],
        ['DELETE', `/api/v1/tasks/${failed.id}`, {}, undefined],
        ['PUT', '/api/v1/queues/default/concurrency', { 'content-type': 'text/json' }, '{}'],
      ] as const) {
        const answer = await rawRequest(url, method, path, headers, body);
        expect(answer.status, `${method} ${path}`).toBe(415);
        expect(answer.json).toMatchObject({
          error: {
            code: 'UNSUPPORTED_MEDIA_TYPE',
            message: expect.stringContaining('application/json'),
          },
        });
      }
    });
    expect(writes).toEqual([]);
  });

  it('refuses a Host it does not serve, reads included (DNS rebinding): 421', async () => {
    const api = await start(apiTasks);
    const { queued } = await seed(api);
    const url = api.server.url;
    const writes = await writesDuring(api.dbUrl, async () => {
      // To the browser the rebound page is same-origin, so it may send JSON and read answers.
      const rebound = { host: 'evil.example:80', 'sec-fetch-site': 'same-origin' };
      const read = await rawRequest(url, 'GET', '/api/v1/tasks', rebound);
      expect(read.status).toBe(421);
      expect(read.json).toMatchObject({ error: { code: 'HOST_NOT_ALLOWED' } });
      expect(read.text).not.toContain(queued.id);
      const json = { ...rebound, 'content-type': 'application/json' };
      const pause = await rawRequest(url, 'POST', '/api/v1/queues/default/pause', json, '{}');
      expect(pause.status).toBe(421);
      for (const host of [
        'localhost.evil.example',
        '127.0.0.1.nip.io',
        'a@127.0.0.1',
        '%6cocalhost',
      ]) {
        const answer = await rawRequest(url, 'GET', '/health', { host });
        expect(answer.status, host).toBe(421);
      }
    });
    expect(writes).toEqual([]);
  });

  it('answers programs, its own pages and the names it listens on', async () => {
    const api = await start(apiTasks);
    const { queued } = await seed(api);
    const url = api.server.url;
    const { port } = new URL(url);
    const json = { 'content-type': 'application/json; charset=utf-8' };
    // curl and the CLI send no Origin; a page of the server itself is same-origin.
    for (const headers of [
      json,
      { ...json, origin: url, 'sec-fetch-site': 'same-origin' },
      { ...json, origin: url },
      { ...json, host: `localhost:${port}`, origin: `http://localhost:${port}` },
      { ...json, host: `[::1]:${port}` },
    ]) {
      const paused = await rawRequest(url, 'POST', '/api/v1/queues/default/pause', headers);
      expect(paused.status, JSON.stringify(headers)).toBe(200);
    }
    const cancel = await rawRequest(url, 'POST', `/api/v1/tasks/${queued.id}/cancel`, json, '');
    expect(cancel.json).toMatchObject({ status: 'cancelled' });
    expect((await api.request('DELETE', `/api/v1/tasks/${queued.id}`)).status).toBe(204);
  });

  it('answers the names given in allowedHosts, any address on a wildcard bind, and checks them', async () => {
    const api = await start(apiTasks, { allowedHosts: ['Tasks.Example.com', '::1'] });
    const url = api.server.url;
    for (const host of ['tasks.example.com', 'TASKS.example.com:8443', '127.0.0.1:1']) {
      expect((await rawRequest(url, 'GET', '/health', { host })).status, host).toBe(200);
    }
    expect((await rawRequest(url, 'GET', '/health', { host: 'example.com' })).status).toBe(421);
    for (const bad of ['http://tasks.example.com', 'tasks.example.com:8080', 'a b', '']) {
      await expect(
        startServer(api.mill, { port: 0, allowedHosts: [bad] }),
        bad,
      ).rejects.toMatchObject({ code: 'OPTIONS_INVALID' });
    }
    const wide = await startServer(api.mill, { port: 0, host: '0.0.0.0', allowNoAuth: true });
    try {
      const local = wide.url.replace('0.0.0.0', '127.0.0.1');
      expect((await rawRequest(local, 'GET', '/health', { host: '10.1.2.3:80' })).status).toBe(200);
      expect((await rawRequest(local, 'GET', '/health', { host: 'evil.example' })).status).toBe(
        421,
      );
    } finally {
      await wide.close();
    }
    const any = await startServer(api.mill, { port: 0, allowedHosts: ['*'] });
    try {
      expect((await rawRequest(any.url, 'GET', '/health', { host: 'evil.example' })).status).toBe(
        200,
      );
    } finally {
      await any.close();
    }
  });
});
