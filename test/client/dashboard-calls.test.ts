/**
 * The client calls the dashboard needs, against a real server on SQLite: bulk cancel and retry
 * with the task list's filter in the library's words (`search`, times as Date, one name or
 * several), a task's attempts, a worker's tasks, the caller's access, the queues' oldest wait.
 */
import { describe, expect, it } from 'vitest';
import { createClient, ManualClock } from '../../src/index.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { SQLITE } from '../helpers/backends.ts';
import { useApi } from '../helpers/server.ts';

const good = { url: 'https://example.com/a.png', width: 320 };
const T0 = Date.UTC(2026, 0, 1);

describe('the client for the dashboard', () => {
  const start = useApi(SQLITE);

  it('cancels and retries by filter, sending the filter as the server takes it', async () => {
    const clock = new ManualClock(T0);
    const api = await start(apiTasks, {}, { clock });
    const client = createClient<typeof apiTasks>({ url: api.server.url });
    const early = await client.submit('image.resize', good, { name: 'Export A' });
    clock.advance(60_000);
    const found = await client.submit('image.resize', good, { name: 'Export B' });
    const other = await client.submit('chatty', { lines: 1, size: 1 }, { name: 'Export C' });

    // One type as a string, `search` for the server's q, times as Date and as ms.
    expect(
      await client.cancelMany({
        type: 'image.resize',
        search: 'export',
        createdFrom: new Date(T0 + 1),
        createdTo: T0 + 120_000,
        reason: 'by filter',
      }),
    ).toEqual({ cancelled: [found.id], skipped: [] });
    expect((await client.history(found.id)).at(-1)?.reason).toBe('by filter');
    expect(await client.cancelMany({ name: 'export', status: 'queued', limit: 1 })).toEqual({
      cancelled: [early.id],
      skipped: [],
    });

    expect(
      await client.retryMany({ status: 'cancelled', name: 'EXPORT B', maxAttempts: 2 }),
    ).toEqual({ retried: [found.id], skipped: [] });
    expect(await client.get(found.id)).toMatchObject({ status: 'queued', maxAttempts: 2 });
    expect((await client.get(other.id)).status).toBe('queued');
  });

  it('reads what the token may do, and the queues with their oldest wait as Date', async () => {
    const clock = new ManualClock(T0);
    const api = await start(apiTasks, {}, { clock });
    const client = createClient({ url: api.server.url });
    expect(await client.access()).toEqual({
      tokensRequired: false,
      scopes: ['read', 'write', 'admin', 'worker'],
    });
    await client.submit('image.resize', good, { queue: 'img' });
    clock.advance(2_500);
    const [img] = (await client.queues()).filter((q) => q.name === 'img');
    expect(img).toMatchObject({
      name: 'img',
      paused: false,
      concurrency: null,
      counts: { queued: 1 },
      oldestWaitingAt: new Date(T0),
      oldestWaitingMs: 2_500,
    });
  });
});
