import { afterEach, describe, expect, it } from 'vitest';
import type { SharedEvent } from '../../src/store/contract.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { freshSchema } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait-for.ts';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('events across processes on PostgreSQL', () => {
  it('arrive in the order one process published them, however many sessions its pool has', async () => {
    const fresh = await freshSchema('shared_order');
    cleanups.push(fresh.drop);
    const sender = await openPostgresStore({ url: fresh.url, poolSize: 8 });
    cleanups.push(() => sender.close());
    const receiver = await openPostgresStore({ url: fresh.url, poolSize: 2 });
    cleanups.push(() => receiver.close());

    const seen: number[] = [];
    const off = receiver.eventSubscribe?.({
      listener: (events: SharedEvent[]) => {
        for (const e of events) seen.push((e.payload as { n: number }).n);
      },
    });
    cleanups.push(async () => off?.());
    // The receiver announces itself every 2 s; the sender publishes only once it heard one.
    await waitFor('the sender to hear its audience', () => sender.eventHasAudience?.() === true, {
      timeoutMs: 10_000,
    });

    const count = 300;
    for (let n = 0; n < count; n++) {
      // One batch per turn of the event loop, as the library's bridge sends them.
      sender.eventPublish?.({
        events: [{ origin: 'sender', name: 'task.status', payload: { n } }],
      });
      if (n % 3 !== 0) await turn();
    }
    await waitFor(`${count} events`, () => seen.length >= count, { timeoutMs: 20_000 });
    expect(seen).toEqual(Array.from({ length: count }, (_, n) => n));
  });
});
