import { TaskNotFoundError } from '../core/errors.ts';
import { LOGS_OPTIONS_SPEC } from '../core/operations.ts';
import { checkOptions, is, type OptionSpec, optionSpec } from '../core/options-check.ts';
import type { Artifact, Execution, HistoryEntry, LogEntry, Task } from '../core/task.ts';
import { LIST_OPTIONS_SPEC, type ListOptions, type TaskPage } from '../core/task-filter.ts';
import { pageOffset, searchAndRange, statusesOf } from './list-filter.ts';
import type { MillContext } from './mill-context.ts';
import { withScheduleLinks } from './schedule-links.ts';
import { waitForTask } from './wait.ts';

function asArray<T>(v: T | T[] | undefined): T[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

const WAIT_OPTIONS_SPEC: OptionSpec = optionSpec<{ timeoutMs?: number; signal?: AbortSignal }>({
  timeoutMs: is.ms(0),
  signal: is.signal,
});

/** Reading tasks and what was recorded about them; waiting for one to finish. */
export function taskReadsApi(ctx: MillContext) {
  /** The task as stored; what the reads of its records check first. */
  async function read(id: string): Promise<Task> {
    ctx.assertOpen();
    const task = await ctx.store.taskGet({ id: String(id) });
    if (!task) throw new TaskNotFoundError(String(id));
    return task;
  }

  /** With the schedule tick that made it. */
  async function get(id: string): Promise<Task> {
    const [linked] = await withScheduleLinks(ctx.store, [await read(id)]);
    return linked as Task;
  }

  return {
    get,
    async list(options: ListOptions = {}): Promise<TaskPage<Task>> {
      ctx.assertOpen();
      checkOptions(LIST_OPTIONS_SPEC, options);
      const limit = options.limit ?? 50;
      const offset = pageOffset(options, limit);
      const page = await ctx.store.taskList({
        filter: {
          status: statusesOf(options.status),
          type: asArray(options.type),
          queue: asArray(options.queue),
          ...searchAndRange(options),
        },
        limit,
        sort: options.sort ?? 'createdAt',
        order: options.order ?? 'desc',
        cursor: options.cursor ?? null,
        ...(offset === undefined ? {} : { offset }),
        total: options.total === true || offset !== undefined,
      });
      return { ...page, tasks: await withScheduleLinks(ctx.store, page.tasks) };
    },
    async history(id: string): Promise<HistoryEntry[]> {
      await read(id);
      return ctx.store.historyList({ id });
    },
    async logs(
      id: string,
      options: { afterId?: number; limit?: number } = {},
    ): Promise<LogEntry[]> {
      checkOptions(LOGS_OPTIONS_SPEC, options, 'options');
      await read(id);
      return ctx.store.logList({ taskId: id, ...options });
    },
    async executions(id: string): Promise<Execution[]> {
      await read(id);
      return ctx.store.executionList({ taskId: id });
    },
    async artifacts(id: string): Promise<Artifact[]> {
      await read(id);
      return ctx.store.artifactList({ taskId: id });
    },
    async wait(
      id: string,
      options: { timeoutMs?: number; signal?: AbortSignal } = {},
    ): Promise<Task> {
      ctx.assertOpen();
      checkOptions(WAIT_OPTIONS_SPEC, options, 'options');
      return waitForTask({ get, bus: ctx.deps.bus }, id, options);
    },
  };
}
