import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/index.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { forEachBackend } from '../helpers/backends.ts';
import { chatEightMegabytes } from '../helpers/chatty.ts';
import { useApi } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';

interface SseEvent {
  id: number | null;
  event: string;
  data: Record<string, unknown>;
}

/** Read an event stream until `until` says enough (or 10 s pass), then close it. */
async function readEvents(
  url: string,
  headers: Record<string, string>,
  until: (events: SseEvent[]) => boolean,
): Promise<SseEvent[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 10_000);
  const res = await fetch(url, { headers, signal: abort.signal });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  try {
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((l) => l && !l.startsWith(':'))
            .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
        );
        if (fields['data'] !== undefined) {
          events.push({
            id: fields['id'] === undefined ? null : Number(fields['id']),
            event: fields['event'] ?? 'message',
            data: JSON.parse(fields['data']) as Record<string, unknown>,
          });
        }
        end = buffer.indexOf('\n\n');
      }
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return events;
}

forEachBackend((backend) => {
  const start = useApi(backend);

  describe('live events (SSE)', () => {
    it("follows one task's progress, logs and status to its end", async () => {
      const api = await start(apiTasks);
      await api.mill.pauseQueue('default');
      const task = (
        await api.request('POST', '/api/v1/tasks', {
          type: 'image.resize',
          input: { url: 'https://example.com/a.png', width: 3 },
        })
      ).json as Task;
      await api.request('POST', '/api/v1/tasks', { type: 'always.fail', input: {} });
      const reading = readEvents(`${api.server.url}/api/v1/events?taskId=${task.id}`, {}, (es) =>
        es.some((e) => e.event === 'task.status' && e.data['to'] === 'completed'),
      );
      await waitFor('the stream to be open', () => api.server.eventClients() === 1);
      await api.mill.startWorker({ handleSignals: false });
      await api.mill.resumeQueue('default');
      const events = await reading;
      expect(events.every((e) => e.data['taskId'] === task.id)).toBe(true);
      expect(events.map((e) => e.event)).toEqual(
        expect.arrayContaining(['task.status', 'task.progress', 'task.log']),
      );
      const statuses = events.filter((e) => e.event === 'task.status').map((e) => e.data['to']);
      expect(statuses).toEqual(['running', 'completed']);
      const ids = events.map((e) => e.id ?? 0);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    });

    it('resumes after Last-Event-ID with only the events it missed', async () => {
      const api = await start(apiTasks);
      const url = `${api.server.url}/api/v1/events?kind=task.status`;
      const submit = async () =>
        (
          (await api.request('POST', '/api/v1/tasks', { type: 'always.fail', input: {} }))
            .json as Task
        ).id;
      const seen = readEvents(url, {}, (es) => es.length >= 2);
      await waitFor('the stream to be open', () => api.server.eventClients() === 1);
      await submit();
      await submit();
      const before = await seen;
      await waitFor('the stream to close', () => api.server.eventClients() === 0);
      const missed = [await submit(), await submit()];
      const after = await readEvents(
        url,
        { 'last-event-id': String(before.at(-1)?.id) },
        (es) => es.length >= 2,
      );
      expect(after.map((e) => e.data['taskId'])).toEqual(missed);
      expect(after.every((e) => (e.id ?? 0) > (before.at(-1)?.id ?? 0))).toBe(true);
    });

    it('says "gap" when the events asked for are older than the window', async () => {
      const api = await start(apiTasks, { events: { window: 2 } });
      for (let i = 0; i < 5; i++) {
        await api.request('POST', '/api/v1/tasks', { type: 'always.fail', input: {} });
      }
      const events = await readEvents(
        `${api.server.url}/api/v1/events`,
        { 'last-event-id': '1' },
        (es) => es.length >= 3,
      );
      expect(events[0]).toMatchObject({ event: 'gap', data: { after: 1, oldest: 4 } });
      expect(events.slice(1).map((e) => e.id)).toEqual([4, 5]);
    });

    it('drops a client that does not read, instead of buffering for it', async () => {
      const api = await start(apiTasks, { events: { maxBufferedBytes: 16 * 1024 } });
      const { port } = new URL(api.server.url);
      const socket = connect(Number(port), '127.0.0.1');
      socket.write(`GET /api/v1/events?kind=task.log HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      socket.pause(); // and never read again
      await waitFor('the stream to be open', () => api.server.eventClients() === 1);
      await api.mill.startWorker({ handleSignals: false });
      await chatEightMegabytes(api);
      await waitFor('the slow client to be dropped', () => api.server.eventClients() === 0);
      socket.destroy();
    });
  });
});
