/**
 * `GET /api/v1/events` as an async iterator. A connection that drops (the server restarts, a
 * proxy times out, the server dropped a slow reader) is opened again after the delay the server
 * asked for, with `Last-Event-ID`, so the events in between come from the server's window; past
 * that window the server says `gap`, which is handed on. The caller's signal ends the iteration
 * quietly.
 */
import type { EventSourceMessage } from 'eventsource-parser';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { TaskmillError } from '../core/errors.ts';
import { STREAMED_EVENTS } from '../core/events.ts';
import { invalidResponse, type Transport } from './http.ts';
import type { EventsOptions, ServerEvent, StreamedKind } from './types.ts';

/** The event kinds the server streams. */
export const STREAMED_KINDS: readonly StreamedKind[] = STREAMED_EVENTS;

const DEFAULT_RETRY_MS = 1000;
const DEFAULT_RECONNECT_FOR_MS = 30_000;

export interface StreamHooks {
  /** Called each time a connection is open (the first and every reconnection): whatever
   * happened before it may have been missed, so a caller that needs the state reads it here. */
  onOpen?: () => void;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function toEvent(message: EventSourceMessage, url: string): ServerEvent | null {
  const kind = message.event ?? 'message';
  if (kind !== 'gap' && !(STREAMED_KINDS as readonly string[]).includes(kind)) return null;
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(message.data) as Record<string, unknown>;
  } catch {
    throw invalidResponse(url, `event ${kind} carries data that is not JSON`, {
      data: message.data.slice(0, 120),
    });
  }
  if (kind === 'gap')
    return { id: null, kind: 'gap', data: data as { after: number; oldest: number } };
  if (typeof data['at'] === 'string') data['at'] = new Date(data['at']);
  if (typeof data['scheduledAt'] === 'string') data['scheduledAt'] = new Date(data['scheduledAt']);
  return { id: Number(message.id), kind, data } as ServerEvent;
}

/** The messages of one response's body, in order, until the body ends. Read through a reader
 * rather than `for await`, which not every browser offers on a ReadableStream. */
async function* messagesOf(
  body: ReadableStream<Uint8Array>,
  onRetry: (ms: number) => void,
): AsyncGenerator<EventSourceMessage, void, undefined> {
  const reader = body
    // Typed alike for Node's and the DOM's libraries (the dashboard type-checks with both).
    .pipeThrough(new TextDecoderStream() as TransformStream<Uint8Array, string>)
    .pipeThrough(new EventSourceParserStream({ onRetry }))
    .getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Left early (the caller stopped), this lets go of the body, which ends the request.
    reader.cancel().catch(() => undefined);
  }
}

function isUnreachable(error: unknown): boolean {
  return error instanceof TaskmillError && error.code === 'SERVER_UNREACHABLE';
}

export async function* openEventStream(
  transport: Transport,
  options: EventsOptions = {},
  hooks: StreamHooks = {},
): AsyncGenerator<ServerEvent, void, undefined> {
  const { signal } = options;
  const reconnectForMs = options.reconnectForMs ?? DEFAULT_RECONNECT_FOR_MS;
  let lastId = options.lastEventId;
  let retryMs = DEFAULT_RETRY_MS;
  /** When the connection was lost; null while one is open (and before the first). */
  let lostAt: number | null = null;
  const query = { taskId: options.taskId, type: options.type, kind: options.kinds };
  while (!signal?.aborted) {
    const connection = new AbortController();
    const both = signal ? AbortSignal.any([signal, connection.signal]) : connection.signal;
    try {
      let response: Response;
      try {
        response = await transport.stream({
          path: '/api/v1/events',
          query,
          headers: {
            accept: 'text/event-stream',
            ...(lastId === undefined ? {} : { 'last-event-id': String(lastId) }),
          },
          signal: both,
        });
      } catch (error) {
        if (signal?.aborted) return;
        // Only a lost server is waited for, and only after a first connection worked: a
        // refused token or a bad filter will not get better by asking again.
        if (lostAt === null || !isUnreachable(error) || Date.now() - lostAt > reconnectForMs) {
          throw error;
        }
        await pause(retryMs, signal);
        continue;
      }
      const type = response.headers.get('content-type') ?? '';
      if (!type.startsWith('text/event-stream')) {
        throw invalidResponse(
          transport.url,
          `GET /api/v1/events answered ${type || 'no content type'}, not an event stream`,
        );
      }
      lostAt = null;
      hooks.onOpen?.();
      const onRetry = (ms: number) => {
        retryMs = ms;
      };
      try {
        // No body at all is a stream that ended at once: reconnect, as after any end.
        const messages = response.body ? messagesOf(response.body, onRetry) : [];
        for await (const message of messages) {
          // What was already read when the signal aborted is not handed on.
          if (signal?.aborted) return;
          const event = toEvent(message, transport.url);
          if (event === null) continue;
          if (event.id !== null) lastId = event.id;
          yield event;
        }
      } catch (error) {
        if (signal?.aborted) return;
        if (error instanceof TaskmillError) throw error;
        // A read that fails is a dropped connection, as is an end: both reconnect below.
      }
    } finally {
      connection.abort();
    }
    if (signal?.aborted) return;
    lostAt = Date.now();
    await pause(retryMs, signal);
  }
}
