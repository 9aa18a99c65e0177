/** `GET /api/v1/queues`' oldest waiting age (`oldestWaitingAt`, `oldestWaitingMs` by the mill's
 * clock) and `client.queues()` decoding it, over a real socket on SQLite. */
import { describe, expect, it } from 'vitest';
import { createClient, ManualClock } from '../../src/index.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { SQLITE } from '../helpers/backends.ts';
import { useApi } from '../helpers/server.ts';

const good = { url: 'https://example.com/a.png', width: 320 };
const T0 = Date.UTC(2026, 0, 1, 12);

interface QueueBody {
  name: string;
  oldestWaitingAt: string | null;
  oldestWaitingMs: number | null;
}

describe("a queue's oldest waiting age", () => {
  const start = useApi(SQLITE);

  it("says since when and how long, by the mill's clock, the longest-waiting due task has waited", async () => {
    const clock = new ManualClock(T0);
    const api = await start(apiTasks, {}, { clock });
    await api.mill.submit('image.resize', good, { queue: 'img' });
    clock.advance(1_000);
    await api.mill.submit('image.resize', good, { queue: 'img' });
    // Not due yet: it does not wait, it is delayed.
    await api.mill.submit('image.resize', good, { queue: 'later', delayMs: 60_000 });
    const done = await api.mill.submit('image.resize', good, { queue: 'gone' });
    await api.mill.cancel(done.id);
    clock.advance(4_000);

    const queues = (await api.request('GET', '/api/v1/queues')).json as QueueBody[];
    const byName = new Map(queues.map((q) => [q.name, q]));
    expect(byName.get('img')).toMatchObject({
      oldestWaitingAt: new Date(T0).toISOString(),
      oldestWaitingMs: 5_000,
    });
    expect(byName.get('later')).toMatchObject({ oldestWaitingAt: null, oldestWaitingMs: null });
    expect(byName.get('gone')).toMatchObject({ oldestWaitingAt: null, oldestWaitingMs: null });

    // Once the delayed one is due, it waits from its run-at.
    clock.advance(60_000);
    const client = createClient({ url: api.server.url });
    const later = (await client.queues()).find((q) => q.name === 'later');
    // Submitted at T0 + 1 s with a minute's delay: due at T0 + 61 s, 4 s ago.
    expect(later?.oldestWaitingAt).toEqual(new Date(T0 + 61_000));
    expect(later?.oldestWaitingMs).toBe(4_000);
    const img = (await client.queues()).find((q) => q.name === 'img');
    expect(img?.oldestWaitingAt).toEqual(new Date(T0));
    expect(img?.oldestWaitingMs).toBe(65_000);
  });
});
