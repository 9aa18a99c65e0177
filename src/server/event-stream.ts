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
  /** The whole frame, encoded on first send and then shared by every client that gets it:
   * one buffer per event, not a string and a copy of its bytes per client. */
  frame?: Buffer;
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
  /** Frames held while the socket wants a drain (shared, not copied), sent as one chunk when it
   * drains, and their bytes. */
  pending: Buffer[];
  pendingBytes: number;
}

/** Why a client was dropped: its own bytes waiting, or those of all clients together. */
export type DropReason = 'client_buffer' | 'total_buffer';

/** Told of every client dropped for being behind (the server logs it and counts it). */
export type OnDrop = (drop: { reason: DropReason; waitingBytes: number }) => void;

/** What waits for a client: in its socket, and held back by the hub. */
function waitingFor(c: Client): number {
  return c.res.writableLength + c.pendingBytes;
}

const KEEP_ALIVE = Buffer.from(': keep-alive\n\n');

export class EventHub {
  private readonly recent: Numbered[] = [];
  private readonly clients = new Set<Client>();
  private next = 1;
  private peak = 0;
  private readonly dropped: Record<DropReason, number> = { client_buffer: 0, total_buffer: 0 };
  private readonly window: number;
  private readonly maxBuffered: number;
  private readonly maxTotal: number;
  private readonly maxClients: number;
  private readonly keepAlive: NodeJS.Timeout;
  private readonly unsubscribe: (() => void)[];

  private readonly onDrop: OnDrop;

  constructor(mill: Taskmill, options: EventStreamOptions = {}, onDrop: OnDrop = () => {}) {
    this.onDrop = onDrop;
    this.window = options.window ?? 1_000;
    this.maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
    this.maxTotal = options.maxTotalBufferedBytes ?? 64 * 1024 * 1024;
    this.maxClients = options.maxClients ?? 1_000;
    this.unsubscribe = STREAMED_EVENTS.map((kind) =>
      mill.on(kind, (payload) => this.publish(kind, payload as Record<string, unknown>)),
    );
    this.keepAlive = setInterval(() => {
      let total = this.bufferedBytes;
      for (const c of this.clients) total = this.write(c, KEEP_ALIVE, total);
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

  /** The most `bufferedBytes` has been after any write since the hub started (for /metrics). */
  get peakBufferedBytes(): number {
    return this.peak;
  }

  /** Clients dropped for being behind since the hub started, by reason (for /metrics). */
  get droppedClients(): Readonly<Record<DropReason, number>> {
    return this.dropped;
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
    // The stream ends when its connection does: no chunked framing, so a write is the shared
    // frame alone, not a size line, the frame and a CRLF, each a buffer and a native request
    // of the client's own (with 1,000 clients behind, hundreds of MB the allocator keeps).
    res.useChunkedEncodingByDefault = false;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    const client: Client = { res, filter, pending: [], pendingBytes: 0 };
    this.clients.add(client);
    const drained = () => {
      if (client.pending.length === 0 || res.destroyed) return;
      const chunk =
        client.pending.length === 1
          ? (client.pending[0] as Buffer)
          : Buffer.concat(client.pending, client.pendingBytes);
      client.pending = [];
      client.pendingBytes = 0;
      res.write(chunk);
    };
    res.on('drain', drained);
    // A closed client leaves nothing behind: not in the hub, no frames held, no listener (the
    // response may outlive the stream in a framework's hands).
    res.once('close', () => {
      this.clients.delete(client);
      client.pending = [];
      client.pendingBytes = 0;
      res.off('drain', drained);
    });
    let head = 'retry: 2000\n\n';
    if (lastEventId !== null) {
      const oldest = this.recent[0]?.id ?? this.next;
      if (lastEventId + 1 < oldest) {
        // Events were lost in between: the client must read the state again.
        head += `event: gap\ndata: ${JSON.stringify({ after: lastEventId, oldest })}\n\n`;
      }
      for (const e of this.recent) {
        if (e.id > lastEventId && matches(e, filter)) head += this.frame(e).toString();
      }
    }
    this.write(client, Buffer.from(head), this.bufferedBytes);
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

  private frame(e: Numbered): Buffer {
    // Most events are never sent (no client follows them): they are encoded only when one is.
    e.frame ??= Buffer.from(
      `id: ${e.id}\nevent: ${e.kind}\ndata: ${JSON.stringify(e.payload)}\n\n`,
    );
    return e.frame;
  }

  /** Write `chunk` to a client, or drop it; `total` is what waits for all sockets, returned
   * updated. Past a write, neither the client's bytes waiting (unless the one event alone is
   * larger) nor all clients' together are over their caps: a client that would be is dropped,
   * and its bytes freed. */
  private write(client: Client, chunk: Buffer, total: number): number {
    const { res } = client;
    if (res.destroyed) return total;
    const waiting = waitingFor(client);
    // A client with nothing waiting always gets the frame: it keeps up, and it may go out at once.
    if (waiting > 0 && waiting + chunk.length > this.maxBuffered) {
      return this.drop(client, 'client_buffer', waiting, total);
    }
    if (waiting > 0 && total + chunk.length > this.maxTotal) {
      // Past the total, only a client that is behind is dropped: one that keeps up costs
      // nothing to keep.
      return this.drop(client, 'total_buffer', waiting, total);
    }
    if (client.pendingBytes > 0 || res.writableNeedDrain) {
      // Each write the socket queues is an entry of its own, and a native write request when it
      // goes out. Held back here, it is a reference to the shared frame per event, and one
      // write when the socket drains.
      client.pending.push(chunk);
      client.pendingBytes += chunk.length;
      return this.account(total + chunk.length);
    }
    res.write(chunk);
    const now = waitingFor(client);
    // Not its own cap: an event larger than that would then drop every client it goes to, again
    // after each reconnect. But a frame that did not go out at once and takes all clients past
    // theirs makes this one a client that is behind.
    if (now > 0 && total - waiting + now > this.maxTotal) {
      return this.drop(client, 'total_buffer', now, total - waiting + now);
    }
    return this.account(total - waiting + now);
  }

  private account(total: number): number {
    if (total > this.peak) this.peak = total;
    return total;
  }

  /** Slower than the events: drop it rather than hold an ever-growing buffer. It may come back
   * with Last-Event-ID and resume from the window (or read `event: gap` when it fell out). */
  private drop(client: Client, reason: DropReason, waiting: number, total: number): number {
    this.clients.delete(client);
    client.pending = [];
    client.pendingBytes = 0;
    client.res.destroy();
    this.dropped[reason]++;
    this.onDrop({ reason, waitingBytes: waiting });
    return total - waiting;
  }
}
