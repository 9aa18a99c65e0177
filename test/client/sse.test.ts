/**
 * The event stream's wire format as `client.events()` reads it: the bytes a server or a proxy
 * may send, cut anywhere, with any line ends, and what the client hands on and sends back when
 * it reconnects. A scripted node:http server writes the exact bytes; the real server's stream is
 * followed in events.test.ts.
 */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createClient, type ServerEvent } from '../../src/index.ts';
import { serve } from '../helpers/scripted-server.ts';

const AT = new Date(0).toISOString();

function logData(message: string): string {
  return JSON.stringify({ taskId: 't', type: 'x', level: 'info', message, at: AT });
}

/** Writes `bytes` one at a time, each in a write of its own once the one before has gone. */
async function trickle(res: ServerResponse, bytes: Uint8Array): Promise<void> {
  for (const byte of bytes) {
    await new Promise<void>((resolve) => res.write(Uint8Array.of(byte), () => resolve()));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Events of one `events()` iteration until `count` have come; the signal then ends it. */
async function take(url: string, count: number): Promise<ServerEvent[]> {
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), 10_000);
  const events: ServerEvent[] = [];
  try {
    for await (const event of createClient({ url }).events({ signal: stop.signal })) {
      events.push(event);
      if (events.length === count) break;
    }
  } finally {
    clearTimeout(timer);
  }
  return events;
}

const streamHead = { 'content-type': 'text/event-stream' };

describe('the client reading an event stream', () => {
  it('reads id, event and data, and skips comments', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, streamHead);
      res.write(`: hello\n\nid: 7\nevent: task.log\ndata: ${logData('a')}\n\n`);
    });
    expect(await take(url, 1)).toEqual([
      {
        id: 7,
        kind: 'task.log',
        data: { taskId: 't', type: 'x', level: 'info', message: 'a', at: new Date(0) },
      },
    ]);
  });

  it('gives the same events when every byte comes alone, whatever the line ends', async () => {
    // CRLF, CR and LF line ends; a message naming no event (not one of the API's: skipped);
    // characters of several bytes; a retry field among them.
    const text = [
      'retry: 10\r\n\r\n',
      `id: 1\r\nevent: task.log\r\ndata: ${logData('naïve ✓ 🎉')}\r\n\r\n`,
      `id: 2\revent: task.log\rdata: ${logData('two')}\r\r`,
      'data: z\n\n',
      `id: 3\nevent: task.log\ndata: ${logData('three')}\n\n`,
    ].join('');
    const bytes = new TextEncoder().encode(text);
    const { url } = await serve((_req, res) => {
      res.writeHead(200, streamHead);
      trickle(res, bytes).catch(() => undefined);
    });
    const whole = await serve((_req, res) => {
      res.writeHead(200, streamHead);
      res.write(text);
    });
    const events = await take(url, 3);
    expect(events.map((e) => e.id)).toEqual([1, 2, 3]);
    expect(events.map((e) => e.kind === 'task.log' && e.data.message)).toEqual([
      'naïve ✓ 🎉',
      'two',
      'three',
    ]);
    expect(await take(whole.url, 3)).toEqual(events);
  });

  it('joins the data lines of one event, and ignores an event without data', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, streamHead);
      // One JSON document over three data lines (`data:` without a space, a bare `data`),
      // joined with "\n"; then a block with no data, which is no event.
      res.write(
        'id: 4\nevent: task.log\ndata: {"taskId":"t","type":"x",\ndata:"level":"warn","message":"m",\n' +
          `data: "at":"${AT}"}\ndata\n\nid: 5\nevent: task.log\n\n` +
          `id: 6\nevent: task.log\ndata: ${logData('after')}\n\n`,
      );
    });
    const events = await take(url, 2);
    expect(events.map((e) => e.id)).toEqual([4, 6]);
    expect(events[0]?.data).toEqual({
      taskId: 't',
      type: 'x',
      level: 'warn',
      message: 'm',
      at: new Date(0),
    });
  });

  it('reconnects after the delay retry: asked for, with the last id as Last-Event-ID', async () => {
    const seen: { lastEventId: string | undefined; at: number }[] = [];
    let droppedAt = 0;
    const { url } = await serve((req, res) => {
      seen.push({
        lastEventId: req.headers['last-event-id'] as string | undefined,
        at: Date.now(),
      });
      res.writeHead(200, streamHead);
      if (seen.length === 1) {
        // Longer than the client's own default (1 s), so that only honouring it explains the wait.
        res.write(`retry: 1500\n\nid: 8\nevent: task.log\ndata: ${logData('a')}\n\n`, () => {
          droppedAt = Date.now();
          res.destroy();
        });
      } else {
        res.write(`id: 9\nevent: task.log\ndata: ${logData('b')}\n\n`);
      }
    });
    const events = await take(url, 2);
    expect(events.map((e) => e.id)).toEqual([8, 9]);
    expect(seen.map((s) => s.lastEventId)).toEqual([undefined, '8']);
    expect(seen[1]?.at ?? 0).toBeGreaterThanOrEqual(droppedAt + 1400);
  });

  it('holds an event until its blank line, and drops it when the connection ends first', async () => {
    const seen: (string | undefined)[] = [];
    const { url } = await serve((req, res) => {
      seen.push(req.headers['last-event-id'] as string | undefined);
      res.writeHead(200, streamHead);
      if (seen.length === 1) {
        res.write(
          `retry: 10\n\nid: 1\nevent: task.log\ndata: ${logData('whole')}\n\n` +
            `id: 2\nevent: task.log\ndata: ${logData('cut')}\n`,
          () => res.destroy(),
        );
      } else {
        res.write(`id: 2\nevent: task.log\ndata: ${logData('again')}\n\n`);
      }
    });
    const events = await take(url, 2);
    expect(events.map((e) => e.kind === 'task.log' && e.data.message)).toEqual(['whole', 'again']);
    expect(seen).toEqual([undefined, '1']);
  });
});
