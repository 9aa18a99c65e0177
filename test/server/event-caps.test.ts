/**
 * What a server operator relies on when clients follow /api/v1/events and never read (issue
 * #14): over real sockets, the bytes the server holds for them never pass the total cap, the
 * clients that are behind are cut off (and counted by reason), and once they are gone nothing
 * of theirs is left: the gauges are 0 and the mill's event bus has the listeners it had before
 * any client came.
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Taskmill } from '../../src/index.ts';
import { type RunningServer, startServer } from '../../src/server/serve.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { SQLITE } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';
import { gauge, openNonReading } from '../helpers/non-reading.ts';
import { waitFor } from '../helpers/wait-for.ts';

const sockets: Socket[] = [];
const servers: RunningServer[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) await s.close();
});

/** `mill` with a count of the listeners subscribed through it and not yet unsubscribed. */
function countingListeners<M extends Taskmill>(mill: M): { mill: M; listeners: () => number } {
  let n = 0;
  const counted = Object.create(mill) as M;
  counted.on = ((event, listener) => {
    n++;
    const off = mill.on(event, listener);
    let on = true;
    return () => {
      if (on) n--;
      on = false;
      off();
    };
  }) as M['on'];
  return { mill: counted, listeners: () => n };
}

/** A log event of about 2 KB at a time, 4,000 of them: far more than the kernel's buffers hold
 * for a client that does not read. */
async function chat(mill: Taskmill<typeof apiTasks>, lines = 4_000): Promise<void> {
  const task = await mill.submit('chatty', { lines, size: 2_000 });
  await mill.wait(task.id, { timeoutMs: 30_000 });
}

describe('event stream under clients that never read', () => {
  const open = useMills(SQLITE);

  it('holds at most the total cap for them, cuts them off, and frees all once they close', async () => {
    const total = 256 << 10;
    const base = await open(apiTasks);
    const { mill, listeners } = countingListeners(base);
    const server = await startServer(mill, {
      port: 0,
      events: { maxBufferedBytes: 128 << 10, maxTotalBufferedBytes: total },
    });
    servers.push(server);
    await mill.startWorker({ handleSignals: false });
    const baseline = listeners();
    expect(baseline).toBeGreaterThan(0); // the hub and the metrics listen once, not per client

    for (let i = 0; i < 6; i++) await openNonReading(server.url, sockets);
    expect(server.eventClients()).toBe(6);
    expect(listeners()).toBe(baseline);
    await chat(base);

    // Six clients of 128 KiB each could hold 768 KiB: the total kept them under 256 KiB.
    const peak = await gauge(server.url, 'taskmill_event_buffered_bytes_peak');
    expect(peak).toBeGreaterThan(total / 2); // they did fill it
    expect(peak).toBeLessThanOrEqual(total);
    // None of them read: all were cut off, each counted under the cap it passed.
    await waitFor('the clients to be cut off', () => server.eventClients() === 0);
    const byClient = await gauge(
      server.url,
      'taskmill_event_clients_dropped_total{reason="client_buffer"}',
    );
    const byTotal = await gauge(
      server.url,
      'taskmill_event_clients_dropped_total{reason="total_buffer"}',
    );
    expect(byClient + byTotal).toBe(6);
    expect(byTotal).toBeGreaterThan(0);
    expect(await gauge(server.url, 'taskmill_event_buffered_bytes')).toBe(0);
    expect(listeners()).toBe(baseline);
  });

  it('holds at most its own cap for one client, not a frame more', async () => {
    const own = 64 << 10;
    const mill = await open(apiTasks);
    const server = await startServer(mill, {
      port: 0,
      events: { maxBufferedBytes: own, maxTotalBufferedBytes: 64 << 20 },
    });
    servers.push(server);
    await mill.startWorker({ handleSignals: false });
    await openNonReading(server.url, sockets);
    await chat(mill);
    const peak = await gauge(server.url, 'taskmill_event_buffered_bytes_peak');
    expect(peak).toBeGreaterThan(own / 2);
    expect(peak).toBeLessThanOrEqual(own);
    expect(server.eventClients()).toBe(0);
    expect(
      await gauge(server.url, 'taskmill_event_clients_dropped_total{reason="client_buffer"}'),
    ).toBe(1);
  });

  it('frees what it held for clients that close while behind', async () => {
    const base = await open(apiTasks);
    const { mill, listeners } = countingListeners(base);
    const server = await startServer(mill, {
      port: 0,
      events: { maxBufferedBytes: 64 << 20, maxTotalBufferedBytes: 256 << 20 },
    });
    servers.push(server);
    await mill.startWorker({ handleSignals: false });
    const baseline = listeners();
    const opened = [];
    for (let i = 0; i < 4; i++) opened.push(await openNonReading(server.url, sockets));
    await chat(base);
    // Still followed, with bytes held for each: there is something to free.
    expect(server.eventClients()).toBe(4);
    expect(await gauge(server.url, 'taskmill_event_buffered_bytes')).toBeGreaterThan(1 << 20);

    for (const { socket } of opened) socket.destroy();
    await waitFor('the clients to be gone', () => server.eventClients() === 0);
    expect(await gauge(server.url, 'taskmill_event_clients')).toBe(0);
    expect(await gauge(server.url, 'taskmill_event_buffered_bytes')).toBe(0);
    expect(listeners()).toBe(baseline);
  });
});
