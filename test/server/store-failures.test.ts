/**
 * What a client and the server's log get when the database fails under a running server: a
 * corrupt row (an unexpected 500, logged with its stack even with the logger off) and a
 * PostgreSQL outage (503 with Retry-After, and no host or port in the answer).
 */
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { createTaskmill } from '../../src/index.ts';
import { type RunningServer, startServer } from '../../src/server/serve.ts';
import { resize } from '../fixtures/api-tasks.ts';
import { POSTGRES, SQLITE } from '../helpers/backends.ts';
import { useApi } from '../helpers/server.ts';
import { tcpProxy } from '../helpers/tcp-proxy.ts';

interface ErrorAnswer {
  error: { code: string; message: string; requestId?: string; details?: Record<string, unknown> };
}

function captured(): { write(text: string): boolean; text(): string } {
  let text = '';
  return {
    write(chunk: string) {
      text += chunk;
      return true;
    },
    text: () => text,
  };
}

describe('an unexpected failure under the server', () => {
  const api = useApi(SQLITE);

  it('answers 500 with a request id and logs the stack, method and route with the logger off', async () => {
    const log = captured();
    const { mill, dbUrl, request } = await api([resize] as const, { errorLog: log });
    const task = await mill.submit('image.resize', { url: 'https://x.test/a.png', width: 3 });
    // Another program breaks the row under the server: reading it back cannot parse its input.
    const db = new DatabaseSync(dbUrl.slice('sqlite:'.length));
    db.prepare('UPDATE tasks SET input = ? WHERE id = ?').run('{"url": broken', task.id);
    db.close();

    const res = await request('GET', `/api/v1/tasks/${task.id}`);
    expect(res.status).toBe(500);
    const { error } = res.json as ErrorAnswer;
    expect(error.code).toBe('INTERNAL_ERROR');
    expect(error.message).toContain(error.requestId);
    expect(res.text).not.toMatch(/SyntaxError|JSON|broken|\.ts:\d/);

    const logged = log.text();
    expect(logged).toContain(`500 request ${error.requestId}: GET /api/v1/tasks/:id`);
    expect(logged).toMatch(/SyntaxError/);
    expect(logged).toMatch(/\n\s+at /);
  });
});

describe('a PostgreSQL outage under the server', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });

  it('answers 503 with Retry-After, and keeps the host and port for the log', async () => {
    const db = await POSTGRES.fresh();
    cleanups.push(db.remove);
    const url = new URL(db.url);
    const proxy = await tcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    const through = new URL(db.url);
    through.hostname = '127.0.0.1';
    through.port = String(proxy.port);
    const mill = await createTaskmill({
      database: through.toString(),
      dataDir: db.dataDir,
      tasks: [resize],
    });
    cleanups.push(() => mill.close());
    const log = captured();
    const server: RunningServer = await startServer(mill, { port: 0, errorLog: log });
    cleanups.push(() => server.close());
    const task = await mill.submit('image.resize', { url: 'https://x.test/a.png', width: 3 });
    expect((await fetch(`${server.url}/api/v1/tasks/${task.id}`)).status).toBe(200);

    await proxy.cut();
    const res = await fetch(`${server.url}/api/v1/tasks/${task.id}`);
    const text = await res.text();
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const { error } = JSON.parse(text) as ErrorAnswer;
    expect(error.code).toBe('STORE_UNAVAILABLE');
    expect(error.details).toEqual({ retryAfterSeconds: 5 });
    expect(error.message).toMatch(/retry in 5 s/);
    expect(error.message).toContain(error.requestId);
    // Neither the proxy's address nor the database's, nor the driver's or the statement's words.
    for (const secret of [String(proxy.port), url.port, '127.0.0.1', 'ECONNREFUSED', 'statement']) {
      if (secret !== '') expect(text).not.toContain(secret);
    }
    const logged = log.text();
    expect(logged).toContain(
      `503 STORE_UNAVAILABLE request ${error.requestId}: GET /api/v1/tasks/:id`,
    );
    expect(logged).toMatch(/ECONNREFUSED|Connection terminated/);
  });
});
