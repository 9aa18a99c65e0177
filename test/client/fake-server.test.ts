/**
 * What the client does when the other end is not a healthy taskmill server: nobody listens, a
 * program that is not the API answers, bytes arrive damaged, an event stream drops. Small
 * node:http servers play the other end, so each case is exact.
 */
import { describe, expect, it } from 'vitest';
import { waitForTask } from '../../src/client/wait.ts';
import { createClient, type RemoteTask, type ServerEvent } from '../../src/index.ts';
import { errorOf } from '../helpers/error-of.ts';
import { freePort } from '../helpers/free-port.ts';
import { serve } from '../helpers/scripted-server.ts';

describe('a server that cannot be used', () => {
  it('is SERVER_UNREACHABLE when nobody listens, naming the URL and the cause', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const error = await errorOf(createClient({ url }).get('x'));
    expect(error).toMatchObject({ code: 'SERVER_UNREACHABLE', httpStatus: 503 });
    expect(error.message).toContain(url);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.details).toMatchObject({ url });
  });

  it('refuses a server URL with a password, and never shows the password', async () => {
    const port = await freePort();
    const error = await errorOf(
      (async () => createClient({ url: `http://ops:s3cret@127.0.0.1:${port}` }))(),
    );
    expect(error.code).toBe('OPTIONS_INVALID');
    expect(`${error.message} ${JSON.stringify(error.details)}`).not.toContain('s3cret');
    expect(error.message).toContain(`http://ops:***@127.0.0.1:${port}`);
  });

  it('is SERVER_UNREACHABLE when no answer comes in time', async () => {
    const { url } = await serve(() => undefined);
    const error = await errorOf(createClient({ url, timeoutMs: 50 }).stats());
    expect(error.code).toBe('SERVER_UNREACHABLE');
    expect(error.message).toContain('no answer within 50 ms');
  });

  it('is SERVER_RESPONSE_INVALID when something else answers', async () => {
    const { url } = await serve((req, res) => {
      if (req.url?.startsWith('/api/v1/tasks?')) {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>welcome</html>');
      } else if (req.url === '/api/v1/stats') {
        res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
      } else if (req.url === '/api/v1/queues') {
        res.writeHead(409, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'QUEUE_ON_FIRE', message: 'hot' } }));
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":"world"}');
      }
    });
    const client = createClient({ url });
    const html = await errorOf(client.list({ limit: 1 }));
    expect(html).toMatchObject({ code: 'SERVER_RESPONSE_INVALID', httpStatus: 502 });
    expect(html.message).toContain('not JSON');
    const gateway = await errorOf(client.stats());
    expect(gateway.code).toBe('SERVER_RESPONSE_INVALID');
    expect(gateway.message).toContain('HTTP 502');
    const newer = await errorOf(client.queues());
    expect(newer).toMatchObject({
      code: 'SERVER_RESPONSE_INVALID',
      details: { code: 'QUEUE_ON_FIRE' },
    });
    const shapeless = await errorOf(client.get('01a2'));
    expect(shapeless.message).toContain('lacks id, type, status, createdAt');
  });

  it('refuses an artifact whose bytes do not match their digest', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'repr-digest': `sha-256=:${Buffer.alloc(32).toString('base64')}:`,
      });
      res.end('tampered');
    });
    const error = await errorOf(createClient({ url }).downloadArtifact('t', 'a'));
    expect(error.code).toBe('SERVER_RESPONSE_INVALID');
    expect(error.details).toMatchObject({ expected: '0'.repeat(64) });
  });

  it('refuses a URL that is not http(s) before sending anything', () => {
    expect(() => createClient({ url: 'localhost:3000' })).toThrow(
      expect.objectContaining({ code: 'OPTIONS_INVALID' }),
    );
  });
});

function frame(id: number, percent: number): string {
  const data = { taskId: 't', type: 'x', percent, message: null, at: new Date(0).toISOString() };
  return `id: ${id}\nevent: task.progress\ndata: ${JSON.stringify(data)}\n\n`;
}

describe('a dropped event stream', () => {
  it('is opened again with Last-Event-ID, after the delay the server asked for', async () => {
    const seen: (string | undefined)[] = [];
    const { url } = await serve((req, res) => {
      seen.push(req.headers['last-event-id'] as string | undefined);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (seen.length === 1) {
        // Cut off once the events are on their way, as a restarting server would.
        res.write(`retry: 10\n\n${frame(1, 10)}: keep-alive\n\n${frame(2, 20)}`, () =>
          res.destroy(),
        );
      } else {
        res.write(frame(3, 30));
      }
    });
    const stop = new AbortController();
    const events: ServerEvent[] = [];
    for await (const event of createClient({ url }).events({ signal: stop.signal })) {
      events.push(event);
      if (events.length === 3) stop.abort();
    }
    expect(events.map((e) => e.id)).toEqual([1, 2, 3]);
    expect(seen).toEqual([undefined, '2']);
    const [first] = events;
    expect(first?.kind === 'task.progress' && first.data.at).toEqual(new Date(0));
  });

  it('fails with SERVER_UNREACHABLE once the server stays away past reconnectForMs', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Gone for good: this connection and every later one.
      res.write(`retry: 5\n\n${frame(1, 10)}`, () => {
        res.destroy();
        server.close();
      });
    });
    const events: ServerEvent[] = [];
    const reading = (async () => {
      for await (const event of createClient({ url: server.url }).events({ reconnectForMs: 100 })) {
        events.push(event);
      }
    })();
    const error = await errorOf(reading);
    expect(error.code).toBe('SERVER_UNREACHABLE');
    expect(events.map((e) => e.id)).toEqual([1]);
  });

  it('is not opened again when the server refuses it', async () => {
    let calls = 0;
    const { url } = await serve((_req, res) => {
      calls++;
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'AUTH_FORBIDDEN', message: 'no' } }));
    });
    const iterator = createClient({ url }).events();
    expect((await errorOf(iterator.next())).code).toBe('AUTH_FORBIDDEN');
    expect(calls).toBe(1);
  });
});

describe('wait without events', () => {
  it('finds the end by reading the task every pollMs', async () => {
    let reads = 0;
    const task = (status: RemoteTask['status']) => ({ id: 't', status }) as RemoteTask;
    const deps = {
      get: async () => task(++reads < 3 ? 'running' : 'completed'),
      // A stream that never says anything, as with a worker in another process on SQLite.
      async *events(options: { signal?: AbortSignal }): AsyncGenerator<ServerEvent> {
        await new Promise((resolve) => options.signal?.addEventListener('abort', resolve));
      },
    };
    const done = await waitForTask(deps, 't', { pollMs: 5, timeoutMs: 5000 });
    expect(done.status).toBe('completed');
    expect(reads).toBe(3);
  });
});
