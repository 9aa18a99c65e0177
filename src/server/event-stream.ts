/**
 * Live events for HTTP clients (Server-Sent Events). One hub per server listens to the mill's
 * events, numbers them, and keeps the newest in a bounded window so that a client that lost its
 * connection resumes with `Last-Event-ID`. A client that cannot keep up is dropped: what waits
 * for its socket is bounded, never an unbounded buffer: per client, across all clients, and in
 * the number of clients.
 */
import type { ServerResponse } from 'node:http';
import { STREAMED_EVENTS, type StreamedEvent } from '../core/events.ts';
import { is, type OptionSpec, optionSpec } from '../core/options-check.ts';
import type { Taskmill } from '../mill/types.ts';

export { STREAMED_EVENTS, type StreamedEvent };

interface Numbered {
  id: number;
  kind: StreamedEvent;
  taskId: string | null;
  type: string | null;
  payload: Record<string, unknown>;
  /** The `data:` line, serialised on first send and then shared by every client. */
  data?: string;
}

export interface EventFilter {
  taskId?: string;
  type?: string;
  kinds?: ReadonlySet<string>;
}

export interface EventStreamOptions {
  /** Events kept for resuming. Default 1,000. */
  window?: number;
  /** Bytes that may wait for one client's socket before it is dropped. Default 1 MiB. */
  maxBufferedBytes?: number;
  /** Bytes that may wait for all clients' sockets together; past it, a client with anything
   * still waiting is dropped instead of given more. Default 64 MiB. */
  maxTotalBufferedBytes?: number;
  /** Clients followed at once; the next is refused with 503 `EVENT_STREAM_FULL`. Default 1,000. */
  maxClients?: number;
  /** A comment line this often keeps proxies from closing an idle stream. Default 15 s. */
  keepAliveMs?: number;
}

/** The `events` of `startServer`'s options. */
export const EVENT_STREAM_SPEC: OptionSpec = optionSpec<EventStreamOptions>({
  window: is.whole(1),
  maxBufferedBytes: is.whole(1),
  maxTotalBufferedBytes: is.whole(1),
  maxClients: is.whole(1),
  keepAliveMs: is.ms(1),
});

function matches(e: Numbered, f: EventFilter): boolean {
  if (f.kinds && !f.kinds.has(e.kind)) return false;
  if (f.taskId && e.taskId !== f.taskId) return false;
  if (f.type && e.type !== f.type) return false;
  return true;
}

interface Client {
  res: ServerResponse;
  filter: EventFilter;
  /** Events held while the socket wants a drain, sent as one chunk when it drains. */
  pending: string;
}

/** What waits for a client: in its socket, and held back by the hub. */
function waitingFor(c: Client): number {
  return c.res.writableLength + c.pending.length;
}

export class EventHub {
  private readonly recent: Numbered[] = [];
  private readonly clients = new Set<Client>();
  private next = 1;
  private readonly window: number;
  private readonly maxBuffered: number;
  private readonly maxTotal: number;
  private readonly maxClients: number;
  private readonly keepAlive: NodeJS.Timeout;
  private readonly unsubscribe: (() => void)[];

  constructor(mill: Taskmill, options: EventStreamOptions = {}) {
    this.window = options.window ?? 1_000;
    this.maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
    this.maxTotal = options.maxTotalBufferedBytes ?? 64 * 1024 * 1024;
    this.maxClients = options.maxClients ?? 1_000;
    this.unsubscribe = STREAMED_EVENTS.map((kind) =>
      mill.on(kind, (payload) => this.publish(kind, payload as Record<string, unknown>)),
    );
    this.keepAlive = setInterval(() => {
      let total = this.bufferedBytes;
      for (const c of this.clients) total = this.write(c, ': keep-alive\n\n', total);
    }, options.keepAliveMs ?? 15_000);
    this.keepAlive.unref();
  }

  /** The number of connected clients (for tests and /metrics). */
  get size(): number {
    return this.clients.size;
  }

  /** Bytes waiting for the clients' sockets, all together (for tests and /metrics). */
  get bufferedBytes(): number {
    let total = 0;
    for (const c of this.clients) total += waitingFor(c);
    return total;
  }

  /** No room for another client: the route refuses it before it becomes a stream. */
  get full(): boolean {
    return this.clients.size >= this.maxClients;
  }

  /**
   * Start a stream on `res`: first what the window holds after `lastEventId` (when given), then
   * every new matching event.
   */
  attach(res: ServerResponse, filter: EventFilter, lastEventId: number | null): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const client: Client = { res, filter, pending: '' };
    this.clients.add(client);
    // Nothing else is kept per client: a closed client leaves no timer or buffer in the hub,
    // and its listeners go with its response.
    res.once('close', () => this.clients.delete(client));
    res.on('drain', () => {
      const text = client.pending;
      client.pending = '';
      if (text !== '' && !res.destroyed) res.write(text);
    });
    let head = 'retry: 2000\n\n';
    if (lastEventId !== null) {
      const oldest = this.recent[0]?.id ?? this.next;
      if (lastEventId + 1 < oldest) {
        // Events were lost in between: the client must read the state again.
        head += `event: gap\ndata: ${JSON.stringify({ after: lastEventId, oldest })}\n\n`;
      }
      for (const e of this.recent) {
        if (e.id > lastEventId && matches(e, filter)) head += this.frame(e);
      }
    }
    this.write(client, head, this.bufferedBytes);
  }

  close(): void {
    clearInterval(this.keepAlive);
    for (const off of this.unsubscribe) off();
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }

  private publish(kind: StreamedEvent, payload: Record<string, unknown>): void {
    const e: Numbered = {
      id: this.next++,
      kind,
      taskId: typeof payload['taskId'] === 'string' ? payload['taskId'] : null,
      type: typeof payload['type'] === 'string' ? payload['type'] : null,
      payload,
    };
    this.recent.push(e);
    if (this.recent.length > this.window) this.recent.shift();
    // Summed once per event, then kept up to date by the writes: O(clients), not O(clients²).
    let total = this.bufferedBytes;
    for (const c of this.clients)
      if (matches(e, c.filter)) total = this.write(c, this.frame(e), total);
  }

  private frame(e: Numbered): string {
    // Most events are never sent (no client follows them): they are serialised only when one is.
    e.data ??= JSON.stringify(e.payload);
    return `id: ${e.id}\nevent: ${e.kind}\ndata: ${e.data}\n\n`;
  }

  /** Write `text` to a client, or drop it; `total` is what waits for all sockets, returned
   * updated. */
  private write(client: Client, text: string, total: number): number {
    const { res } = client;
    if (res.destroyed) return total;
    const waiting = waitingFor(client);
    if (waiting > this.maxBuffered || (waiting > 0 && total + text.length > this.maxTotal)) {
      // Slower than the events: drop it rather than hold an ever-growing buffer. It may come
      // back with Last-Event-ID and resume from the window. Past the total, only a client
      // that is behind is dropped: one that keeps up costs nothing to keep.
      this.clients.delete(client);
      res.destroy();
      return total - waiting;
    }
    if (client.pending !== '' || res.writableNeedDrain) {
      // One write per event would queue three buffered chunks (chunk size, data, CRLF) per
      // client, each an object of its own: for 1,000 clients that are behind, hundreds of MB
      // of bookkeeping besides the bytes. Held back here, it is one string per client.
      client.pending += text;
      return total + text.length;
    }
    res.write(text);
    return total - waiting + waitingFor(client);
  }
}
