/**
 * Waiting for a task over HTTP. Its status events say when to look; the task is read again each
 * time the event stream (re)opens, since a change may have fallen before it, and every `pollMs`,
 * since a worker in another process on SQLite emits no events to the server. A failing event
 * stream leaves the polls; a failing read ends the wait with its error.
 */
import { TaskmillError } from '../core/errors.ts';
import { isTerminal } from '../core/status.ts';
import type { StreamHooks } from './event-stream.ts';
import type { EventsOptions, RemoteTask, ServerEvent, WaitOptions } from './types.ts';

const DEFAULT_POLL_MS = 2000;

export interface WaitDeps {
  get(id: string): Promise<RemoteTask>;
  events(options: EventsOptions, hooks: StreamHooks): AsyncGenerator<ServerEvent, void, undefined>;
}

export function waitForTask(
  deps: WaitDeps,
  id: string,
  options: WaitOptions = {},
): Promise<RemoteTask> {
  const { signal, timeoutMs } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<RemoteTask>((resolve, reject) => {
    const stream = new AbortController();
    let settled = false;
    let reading = false;
    let readAgain = false;

    const finish = (error: unknown, task?: RemoteTask) => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      clearTimeout(deadline);
      signal?.removeEventListener('abort', onAbort);
      stream.abort();
      if (task) resolve(task);
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
      deps.get(id).then(
        (task) => {
          reading = false;
          if (isTerminal(task.status)) finish(null, task);
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
                  `Task ${id} did not finish within ${timeoutMs} ms.`,
                  {
                    details: { taskId: id, timeoutMs },
                  },
                ),
              ),
            timeoutMs,
          );
    const follow = async () => {
      const events = deps.events(
        { taskId: id, kinds: ['task.status'], signal: stream.signal },
        { onOpen: check },
      );
      for await (const event of events) {
        if (event.kind === 'gap' || (event.kind === 'task.status' && isTerminal(event.data.to))) {
          check();
        }
      }
    };
    check();
    // Events only make the wait shorter: without them the polls still find the end.
    follow().catch(() => undefined);
  });
}
