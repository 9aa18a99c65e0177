import { TaskNotFoundError, ValidationError } from '../core/errors.ts';
import type { TaskStatus } from '../core/status.ts';
import type { Artifact, Execution, HistoryEntry, LogEntry, Task } from '../core/task.ts';
import { type ListOptions, SORT_FIELDS } from '../core/task-filter.ts';
import { searchAndRange } from './list-filter.ts';
import type { MillContext } from './mill-context.ts';
import { waitForTask } from './wait.ts';

function asArray<T>(v: T | T[] | undefined): T[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

function checkedListOptions(options: ListOptions) {
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new ValidationError(
      'OPTIONS_INVALID',
      'Option "limit" must be a whole number from 1 to 1000.',
      [{ path: 'limit', message: 'expected 1..1000' }],
    );
  }
  const sort = options.sort ?? 'createdAt';
  if (!SORT_FIELDS.includes(sort)) {
    throw new ValidationError(
      'OPTIONS_INVALID',
      `Option "sort" must be one of ${SORT_FIELDS.join(', ')}.`,
      [{ path: 'sort', message: `expected one of ${SORT_FIELDS.join(', ')}` }],
    );
  }
  const order = options.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') {
    throw new ValidationError('OPTIONS_INVALID', 'Option "order" must be "asc" or "desc".', [
      { path: 'order', message: 'expected asc or desc' },
    ]);
  }
  return { limit, sort, order };
}

/** Reading tasks and what was recorded about them; waiting for one to finish. */
export function taskReadsApi(ctx: MillContext) {
  async function get(id: string): Promise<Task> {
    ctx.assertOpen();
    const task = await ctx.store.taskGet({ id: String(id) });
    if (!task) throw new TaskNotFoundError(String(id));
    return task;
  }

  return {
    get,
    async list(options: ListOptions = {}): Promise<{ tasks: Task[]; nextCursor: string | null }> {
      ctx.assertOpen();
      const page = checkedListOptions(options);
      return ctx.store.taskList({
        filter: {
          status: asArray<TaskStatus>(options.status),
          type: asArray(options.type),
          queue: asArray(options.queue),
          ...searchAndRange(options),
        },
        ...page,
        cursor: options.cursor ?? null,
      });
    },
    async history(id: string): Promise<HistoryEntry[]> {
      await get(id);
      return ctx.store.historyList({ id });
    },
    async logs(
      id: string,
      options: { afterId?: number; limit?: number } = {},
    ): Promise<LogEntry[]> {
      await get(id);
      return ctx.store.logList({ taskId: id, ...options });
    },
    async executions(id: string): Promise<Execution[]> {
      await get(id);
      return ctx.store.executionList({ taskId: id });
    },
    async artifacts(id: string): Promise<Artifact[]> {
      await get(id);
      return ctx.store.artifactList({ taskId: id });
    },
    wait(id: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Task> {
      ctx.assertOpen();
      return waitForTask({ get, bus: ctx.deps.bus }, id, options);
    },
  };
}
