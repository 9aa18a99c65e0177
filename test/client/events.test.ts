/**
 * The client's event stream and `wait` against a real server on each backend: a running task's
 * progress, logs and status as typed events, resuming after `lastEventId`, and waiting.
 */
import { describe, expect, it } from 'vitest';
import { createClient, type ServerEvent, STREAMED_KINDS } from '../../src/index.ts';
import { STREAMED_EVENTS } from '../../src/server/event-stream.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { useApi } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';

const good = { url: 'https://example.com/a.png', width: 3 };

/** Events until `until` says enough; the stream is then ended through its signal. */
async function collect(
  stream: (signal: AbortSignal) => AsyncIterable<ServerEvent>,
  until: (events: ServerEvent[]) => boolean,
): Promise<ServerEvent[]> {
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), 10_000);
  const events: ServerEvent[] = [];
  try {
    for await (const event of stream(stop.signal)) {
      events.push(event);
      if (until(events)) break;
    }
  } finally {
    clearTimeout(timer);
    stop.abort();
  }
  return events;
}

const finished = (events: ServerEvent[]) =>
  events.some((e) => e.kind === 'task.status' && e.data.to === 'completed');

describe('the streamed kinds', () => {
  it("are the server's", () => {
    expect([...STREAMED_KINDS]).toEqual([...STREAMED_EVENTS]);
  });
});

forEachBackend((backend) => {
  const start = useApi(backend);

  describe('client events', () => {
    it("delivers a running task's progress, logs and status, with times as Date", async () => {
      const api = await start(apiTasks);
      const client = createClient({ url: api.server.url });
      await api.mill.pauseQueue('default');
      const task = await client.submit('image.resize', good);
      await client.submit('always.fail', {});
      const reading = collect((signal) => client.events({ taskId: task.id, signal }), finished);
      await waitFor('the stream to be open', () => api.server.eventClients() === 1);
      await api.mill.startWorker({ handleSignals: false });
      await client.resumeQueue('default');
      const events = await reading;
      await waitFor('the stream to be closed', () => api.server.eventClients() === 0);
      expect(events.every((e) => e.kind !== 'gap' && 'taskId' in e.data)).toBe(true);
      const kinds = events.map((e) => e.kind);
      expect(kinds).toEqual(expect.arrayContaining(['task.status', 'task.progress', 'task.log']));
      const progress = events.find((e) => e.kind === 'task.progress');
      expect(progress?.data).toMatchObject({ taskId: task.id, percent: 50, message: 'half' });
      expect(progress?.data.at).toBeInstanceOf(Date);
      const log = events.find((e) => e.kind === 'task.log');
      expect(log?.data).toMatchObject({ level: 'info', message: `resizing ${good.url}` });
      const statuses = events.flatMap((e) => (e.kind === 'task.status' ? [e.data.to] : []));
      expect(statuses).toEqual(['running', 'completed']);
      const ids = events.map((e) => e.id ?? 0);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    });

    it('filters by kind and type, and resumes after lastEventId with what it missed', async () => {
      const api = await start(apiTasks);
      const client = createClient({ url: api.server.url });
      await api.mill.startWorker({ handleSignals: false });
      const task = await client.submit('image.resize', good);
      await client.wait(task.id, { timeoutMs: 10_000 });
      // Everything since the start is still in the server's window.
      const all = await collect(
        (signal) => client.events({ type: 'image.resize', lastEventId: 0, signal }),
        finished,
      );
      expect(all.length).toBeGreaterThanOrEqual(4);
      const cut = all[1]?.id ?? 0;
      const rest = await collect(
        (signal) => client.events({ taskId: task.id, lastEventId: cut, signal }),
        finished,
      );
      expect(rest.map((e) => e.id)).toEqual(all.slice(2).map((e) => e.id));
      const onlyStatus = await collect(
        (signal) => client.events({ kinds: ['task.status'], lastEventId: 0, signal }),
        finished,
      );
      expect(new Set(onlyStatus.map((e) => e.kind))).toEqual(new Set(['task.status']));
    });

    it('ends the iteration when the signal aborts while it waits', async () => {
      const api = await start(apiTasks);
      const client = createClient({ url: api.server.url });
      const stop = new AbortController();
      const iterator = client.events({ kinds: ['task.log'], signal: stop.signal });
      const next = iterator.next();
      await waitFor('the stream to be open', () => api.server.eventClients() === 1);
      stop.abort();
      expect(await next).toEqual({ done: true, value: undefined });
      await waitFor('the stream to be closed', () => api.server.eventClients() === 0);
    });

    it('waits for the end, and gives up with WAIT_TIMEOUT or on its signal', async () => {
      const api = await start(apiTasks);
      await api.mill.startWorker({ handleSignals: false });
      const client = createClient({ url: api.server.url });
      const failing = await client.submit('always.fail', {});
      const failed = await client.wait(failing.id, { timeoutMs: 10_000 });
      expect(failed).toMatchObject({ status: 'failed', error: { message: 'nope' } });
      const slow = await client.submit('sleep', { ms: 60_000 });
      await expect(client.wait(slow.id, { timeoutMs: 100 })).rejects.toMatchObject({
        code: 'WAIT_TIMEOUT',
        details: { taskId: slow.id, timeoutMs: 100 },
      });
      const stop = new AbortController();
      const waiting = client.wait(slow.id, { signal: stop.signal });
      stop.abort(new Error('enough'));
      await expect(waiting).rejects.toThrow('enough');
      const cancelling = client.wait(slow.id, { timeoutMs: 10_000 });
      await client.cancel(slow.id);
      expect((await cancelling).status).toBe('cancelled');
      await waitFor('every stream to be closed', () => api.server.eventClients() === 0);
    });
  });
});
