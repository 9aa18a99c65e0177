import { TaskmillError } from '../core/errors.ts';
import type { EventBus } from '../core/event-bus.ts';
import { isTerminal } from '../core/status.ts';
import type { Task } from '../core/task.ts';

const POLL_MS = 200;

export interface WaitOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Resolve once `get` reads something `done`. An event from this process (`subscribe` calls its
 * callback) answers at once; a poll covers changes made by other processes (they share the
 * database, not the bus). `what` names it in the timeout's message.
 */
export function waitUntil<T>(
  p: {
    get(): Promise<T>;
    done(value: T): boolean;
    subscribe(changed: () => void): () => void;
    what: string;
    details: Record<string, unknown>;
  },
  options: WaitOptions,
): Promise<T> {
  // Listening starts before the first read: a change that commits while that read is on its way
  // (its answer still the old state) must not be missed and left to the next poll.
  return new Promise<T>((resolve, reject) => {
    let finished = false;
    let poll: NodeJS.Timeout | undefined;
    let deadline: NodeJS.Timeout | undefined;
    const finish = (error: unknown, value?: T) => {
      if (finished) return;
      finished = true;
      off();
      clearTimeout(poll);
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', onAbort);
      if (value !== undefined) resolve(value);
      else reject(error);
    };
    const check = () => {
      let read: Promise<T>;
      try {
        read = p.get();
      } catch (error) {
        finish(error);
        return;
      }
      read.then(
        (value) => {
          if (finished) return;
          if (p.done(value)) {
            finish(null, value);
            return;
          }
          clearTimeout(poll);
          poll = setTimeout(check, POLL_MS);
        },
        (error: unknown) => finish(error),
      );
    };
    const off = p.subscribe(() => {
      clearTimeout(poll);
      check();
    });
    const onAbort = () => finish(options.signal?.reason ?? new Error('aborted'));
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs !== undefined) {
      const message = `${p.what} did not finish within ${options.timeoutMs} ms.`;
      const details = { ...p.details, timeoutMs: options.timeoutMs };
      deadline = setTimeout(
        () => finish(new TaskmillError('WAIT_TIMEOUT', message, { details })),
        options.timeoutMs,
      );
    }
    check();
  });
}

/** Resolve once a task is finished. */
export function waitForTask(
  deps: { get(id: string): Promise<Task>; bus: EventBus },
  id: string,
  options: WaitOptions,
): Promise<Task> {
  return waitUntil(
    {
      get: () => deps.get(id),
      done: (task) => isTerminal(task.status),
      subscribe: (changed) =>
        deps.bus.on('task.status', (e) => {
          if (e.taskId === id && isTerminal(e.to)) changed();
        }),
      what: `Task ${id}`,
      details: { taskId: id },
    },
    options,
  );
}
