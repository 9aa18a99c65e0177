/**
 * Bounds of the event stream over real sockets: clients past `maxClients` are refused with 503,
 * the bytes waiting for all clients together stay under `maxTotalBufferedBytes`, and clients
 * that close leave nothing behind (the /metrics gauges go back to 0).
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { SQLITE } from '../helpers/backends.ts';
import { chatEightMegabytes } from '../helpers/chatty.ts';
import { gauge, openNonReading } from '../helpers/non-reading.ts';
import { useApi } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
});

describe('event stream bounds', () => {
  const start = useApi(SQLITE);

  it('refuses clients past maxClients with 503, and frees everything when they close', async () => {
    const api = await start(apiTasks, { events: { maxClients: 5, maxBufferedBytes: 16 << 20 } });
    const opened = [];
    for (let i = 0; i < 8; i++) opened.push(await openNonReading(api.server.url, sockets));
    const heads = opened.map((o) => o.head);
    expect(heads.slice(0, 5).every((h) => h.startsWith('HTTP/1.1 200'))).toBe(true);
    for (const head of heads.slice(5)) {
      expect(head).toMatch(/^HTTP\/1\.1 503/);
      expect(head).toMatch(/\r\nretry-after: 5\r\n/i);
      expect(head).toContain('"code":"EVENT_STREAM_FULL"');
    }
    expect(api.server.eventClients()).toBe(5);
    expect(await gauge(api.server.url, 'taskmill_event_clients')).toBe(5);

    await api.mill.startWorker({ handleSignals: false });
    await chatEightMegabytes(api);
    // Still followed, with events waiting for each: there is something to free.
    expect(api.server.eventClients()).toBe(5);
    expect(await gauge(api.server.url, 'taskmill_event_buffered_bytes')).toBeGreaterThan(0);

    for (const { socket } of opened) socket.destroy();
    await waitFor('the clients to be gone', () => api.server.eventClients() === 0);
    expect(await gauge(api.server.url, 'taskmill_event_clients')).toBe(0);
    expect(await gauge(api.server.url, 'taskmill_event_buffered_bytes')).toBe(0);
    // Room again for a new client.
    expect((await openNonReading(api.server.url, sockets)).head).toMatch(/^HTTP\/1\.1 200/);
  });

  it('drops clients that are behind once the total waiting bytes pass the cap', async () => {
    const cap = 1 << 20;
    const api = await start(apiTasks, {
      events: { maxBufferedBytes: 8 << 20, maxTotalBufferedBytes: cap },
    });
    for (let i = 0; i < 5; i++) await openNonReading(api.server.url, sockets);
    expect(api.server.eventClients()).toBe(5);
    await api.mill.startWorker({ handleSignals: false });
    await chatEightMegabytes(api);
    // Each alone stays under its own 8 MiB: only the total can have dropped them.
    expect(api.server.eventClients()).toBeLessThan(5);
    // At most one event past the cap (a client is let in when nothing waits for it).
    expect(await gauge(api.server.url, 'taskmill_event_buffered_bytes')).toBeLessThanOrEqual(
      cap + 4096,
    );
  });
});
