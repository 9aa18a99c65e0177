import { TaskmillError } from '../core/errors.ts';
import type { EventBus } from '../core/event-bus.ts';
import { isTerminal } from '../core/status.ts';
import type { Task } from '../core/task.ts';

const POLL_MS = 200;

/**
 * Resolve once a task is finished. Events from this process's workers answer at once; a poll
 * covers workers in other processes (they share the database, not the bus).
 */
export async function waitForTask(
  deps: { get(id: string): Promise<Task>; bus: EventBus },
  id: string,
  options: { timeoutMs?: number; signal?: AbortSignal },
): Promise<Task> {
  const first = await deps.get(id);
  if (isTerminal(first.status)) return first;
  return new Promise<Task>((resolve, reject) => {
    let done = false;
    let poll: NodeJS.Timeout | undefined;
    let deadline: NodeJS.Timeout | undefined;
    const finish = (error: unknown, task?: Task) => {
      if (done) return;
      done = true;
      off();
      clearTimeout(poll);
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', onAbort);
      if (task) resolve(task);
      else reject(error);
    };
    const check = () => {
      deps.get(id).then(
        (task) => {
          if (isTerminal(task.status)) finish(null, task);
          else if (!done) poll = setTimeout(check, POLL_MS);
        },
        (error: unknown) => finish(error),
      );
    };
    const off = deps.bus.on('task.status', (e) => {
      if (e.taskId === id && isTerminal(e.to)) {
        clearTimeout(poll);
        check();
      }
    });
    const onAbort = () => finish(options.signal?.reason ?? new Error('aborted'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs !== undefined) {
      deadline = setTimeout(
        () =>
          finish(
            new TaskmillError(
              'WAIT_TIMEOUT',
              `Task ${id} did not finish within ${options.timeoutMs} ms.`,
              {
                details: { taskId: id, timeoutMs: options.timeoutMs },
              },
            ),
          ),
        options.timeoutMs,
      );
    }
    poll = setTimeout(check, POLL_MS);
  });
}
