/**
 * Closing the server does not wait on connections that are left idle: those the client's fetch
 * pool keeps after event streams end, one that never carried a request, one whose response ends
 * after the close began. Without the fix a close waits for fastify's keep-alive timeout (72 s),
 * or until the client's pool drops its idle connections (4 s, in the same process).
 */
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/index.ts';
import { closeIdleOnShutdown } from '../../src/server/idle-connections.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { SQLITE } from '../helpers/backends.ts';
import { gate } from '../helpers/mill.ts';
import { useApi } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';

/** 'closed', or 'timeout' when closing takes longer than 3 s: a close takes milliseconds, and
 * a longer deadline would let the client's pool end the connections (after 4 s) and hide a
 * server that waits on them. */
function closeWithin3s(close: () => Promise<void>): Promise<'closed' | 'timeout'> {
  const deadline = AbortSignal.timeout(3000);
  return Promise.race([
    close().then(() => 'closed' as const),
    new Promise<'timeout'>((resolve) =>
      deadline.addEventListener('abort', () => resolve('timeout')),
    ),
  ]);
}

describe('closing the server', () => {
  const start = useApi(SQLITE);

  it('does not wait on the connections of event streams the client ended', async () => {
    const api = await start(apiTasks);
    const client = createClient({ url: api.server.url });
    const task = await client.submit('sleep', { ms: 60_000 });
    await client.cancel(task.id);
    const stop = new AbortController();
    const events = client.events({ lastEventId: 0, signal: stop.signal });
    expect((await events.next()).value).toMatchObject({ kind: 'task.status' });
    stop.abort();
    expect(await events.next()).toEqual({ done: true, value: undefined });
    // A wait on a finished task ends its event stream while it connects: fetch's pool keeps
    // that connection, which never carries a request.
    for (let i = 0; i < 10; i++) {
      expect((await client.wait(task.id)).status).toBe('cancelled');
    }
    await waitFor('the streams to be closed', () => api.server.eventClients() === 0);
    expect(await closeWithin3s(api.server.close)).toBe('closed');
  });

  it('ends the event streams it has open and does not wait on their connections', async () => {
    const api = await start(apiTasks);
    const client = createClient({ url: api.server.url });
    const stop = new AbortController();
    const events = client.events({ signal: stop.signal });
    const next = events.next();
    await waitFor('the stream to be open', () => api.server.eventClients() === 1);
    expect(await closeWithin3s(api.server.close)).toBe('closed');
    // The client would reconnect after the server's retry delay; it is told to stop instead.
    stop.abort();
    expect(await next).toEqual({ done: true, value: undefined });
  });

  it('does not wait on a connection that never sent a request', async () => {
    const api = await start(apiTasks);
    const { hostname, port } = new URL(api.server.url);
    const socket = connect(Number(port), hostname);
    const closed = new Promise((resolve) => socket.on('close', resolve));
    await new Promise((resolve) => socket.on('connect', resolve));
    expect(await closeWithin3s(api.server.close)).toBe('closed');
    await closed;
  });

  it('lets a request in flight finish, then closes its keep-alive connection', async () => {
    const arrived = gate();
    const answer = gate();
    const server = createServer((_request, response) => {
      arrived.open();
      answer.promise.then(() => response.end('done'));
    });
    const closeIdle = closeIdleOnShutdown(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const response = fetch(`http://127.0.0.1:${port}/`).then((r) => r.text());
    await arrived.promise;
    closeIdle();
    const closing = closeWithin3s(
      () =>
        new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
    );
    answer.open();
    expect(await response).toBe('done');
    expect(await closing).toBe('closed');
  });
});
