/**
 * Waiting over HTTP for something to end (a task, a pipeline run, a batch of runs). Its events
 * say when to look; the state is read again each time the event stream (re)opens, since a change
 * may have fallen before it, and every `pollMs`, since a worker in another process on SQLite
 * emits no events to the server. A failing event stream leaves the polls; a failing read ends
 * the wait with its error.
 */
import { TaskmillError } from '../core/errors.ts';
import { isTerminal } from '../core/status.ts';
import type { StreamHooks } from './event-stream.ts';
import type { EventsOptions, RemoteTask, ServerEvent, WaitOptions } from './types.ts';

const DEFAULT_POLL_MS = 2000;

export type OpenEvents = (
  options: EventsOptions,
  hooks: StreamHooks,
) => AsyncGenerator<ServerEvent, void, undefined>;

export interface WaitDeps {
  get(id: string): Promise<RemoteTask>;
  events: OpenEvents;
}

/** What one wait reads, which events make it read again, and how it names itself. */
export interface Waited<T> {
  get(): Promise<T>;
  done(value: T): boolean;
  events: OpenEvents;
  /** The stream to follow (its filters), less the signal, which the wait owns. */
  follow: Omit<EventsOptions, 'signal'>;
  /** An event that may mean it ended. */
  relevant(event: ServerEvent): boolean;
  /** `Task <id>`, `Pipeline run <id>`: the timeout's message starts with it. */
  what: string;
  details: Record<string, unknown>;
}

export function waitFollowing<T>(w: Waited<T>, options: WaitOptions = {}): Promise<T> {
  const { signal, timeoutMs } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const stream = new AbortController();
    let settled = false;
    let reading = false;
    let readAgain = false;

    const finish = (error: unknown, value?: { value: T }) => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      clearTimeout(deadline);
      signal?.removeEventListener('abort', onAbort);
      stream.abort();
      if (value) resolve(value.value);
      else reject(error);
    };
    // One read at a time; a reason to look that comes meanwhile reads once more after it.
    const check = () => {
      if (settled) return;
      if (reading) {
        readAgain = true;
        return;
      }
      reading = true;
      w.get().then(
        (value) => {
          reading = false;
          if (w.done(value)) finish(null, { value });
          else if (readAgain) {
            readAgain = false;
            check();
          }
        },
        (error: unknown) => finish(error),
      );
    };
    const onAbort = () => finish(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const poll = setInterval(check, options.pollMs ?? DEFAULT_POLL_MS);
    const deadline =
      timeoutMs === undefined
        ? undefined
        : setTimeout(
            () =>
              finish(
                new TaskmillError(
                  'WAIT_TIMEOUT',
                  `${w.what} did not finish within ${timeoutMs} ms.`,
                  { details: { ...w.details, timeoutMs } },
                ),
              ),
            timeoutMs,
          );
    const follow = async () => {
      const events = w.events({ ...w.follow, signal: stream.signal }, { onOpen: check });
      for await (const event of events) {
        if (event.kind === 'gap' || w.relevant(event)) check();
      }
    };
    check();
    // Events only make the wait shorter: without them the polls still find the end.
    follow().catch(() => undefined);
  });
}

export function waitForTask(
  deps: WaitDeps,
  id: string,
  options: WaitOptions = {},
): Promise<RemoteTask> {
  return waitFollowing(
    {
      get: () => deps.get(id),
      done: (task) => isTerminal(task.status),
      events: deps.events,
      follow: { taskId: id, kinds: ['task.status'] },
      relevant: (event) => event.kind === 'task.status' && isTerminal(event.data.to),
      what: `Task ${id}`,
      details: { taskId: id },
    },
    options,
  );
}
