import {
  type BulkChanges,
  type BulkFilter,
  CANCEL_MANY_DEFAULT_LIMIT,
  CANCEL_MANY_SPEC,
  type CancelManyFilter,
  RETRY_MANY_DEFAULT_LIMIT,
  RETRY_MANY_SPEC,
  type RetryManyFilter,
  WAITING_STATUSES,
} from '../core/bulk-filter.ts';
import { checkOptions } from '../core/options-check.ts';
import type { TaskStatus } from '../core/status.ts';
import type { Task } from '../core/task.ts';
import type { ListOptions, TaskPage } from '../core/task-filter.ts';
import type { MillContext } from './mill-context.ts';

/** A page of the list is read at most this long; a bulk call walks as many as its limit needs. */
const PAGE = 1000;

/** The one-task changes a bulk change goes through, so each keeps its history, events and
 * aborts. */
interface OneByOne {
  list(options: ListOptions): Promise<TaskPage<Task>>;
  cancel(id: string, reason?: string): Promise<Task>;
  retry(id: string, options?: { maxAttempts?: number }): Promise<Task>;
}

/** Refusals that mean "this task is no longer one to change", not a failure of the call. */
const SKIPPED_CODES = new Set(['TASK_ILLEGAL_TRANSITION', 'TASK_NOT_FOUND', 'PIPELINE_RUN_STATE']);

function skippable(error: unknown): boolean {
  return SKIPPED_CODES.has((error as { code?: unknown } | null)?.code as string);
}

/** Retry or cancel every task that matches a filter: `retryMany`, `cancelMany`. */
export function bulkChangesApi(ctx: MillContext, one: OneByOne): BulkChanges {
  /** Every matching id up to `limit`, oldest first, collected before any change: a changed task
   * leaves the filter, which would shift the pages under a cursor. */
  async function idsMatching(
    filter: BulkFilter,
    status: TaskStatus[],
    limit: number,
  ): Promise<string[]> {
    const { limit: _limit, ...where } = filter;
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: TaskPage<Task> = await one.list({
        ...where,
        status,
        sort: 'createdAt',
        order: 'asc',
        limit: Math.min(PAGE, limit - ids.length),
        cursor,
      });
      ids.push(...page.tasks.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor !== null && ids.length < limit);
    return ids;
  }

  const listOf = <S extends string>(v: S | S[] | undefined, fallback: readonly S[]): S[] =>
    v === undefined ? [...fallback] : Array.isArray(v) ? v : [v];

  return {
    async retryMany(filter: RetryManyFilter = {}) {
      ctx.assertOpen();
      checkOptions(RETRY_MANY_SPEC, filter ?? null);
      const { status, maxAttempts, limit = RETRY_MANY_DEFAULT_LIMIT, ...where } = filter;
      const ids = await idsMatching(where, listOf(status, ['failed']), limit);
      const retried: string[] = [];
      const skipped: string[] = [];
      for (const id of ids) {
        try {
          await one.retry(id, { maxAttempts });
          retried.push(id);
        } catch (error) {
          if (!skippable(error)) throw error;
          skipped.push(id);
        }
      }
      return { retried, skipped };
    },

    async cancelMany(filter: CancelManyFilter = {}) {
      ctx.assertOpen();
      checkOptions(CANCEL_MANY_SPEC, filter ?? null);
      const { status, reason, limit = CANCEL_MANY_DEFAULT_LIMIT, ...where } = filter;
      const statuses: TaskStatus[] = listOf(status, WAITING_STATUSES);
      const why = reason?.trim() || 'cancelled by request (cancel by filter)';
      const ids = await idsMatching(where, statuses, limit);
      const cancelled: string[] = [];
      const skipped: string[] = [];
      for (const id of ids) {
        // Read again just before: a task claimed since it was found is running now, and
        // cancelling it would abort work the filter left alone.
        const now = await ctx.store.taskGet({ id });
        if (!now || !statuses.includes(now.status)) {
          skipped.push(id);
          continue;
        }
        try {
          await one.cancel(id, why);
          cancelled.push(id);
        } catch (error) {
          if (!skippable(error)) throw error;
          skipped.push(id);
        }
      }
      return { cancelled, skipped };
    },
  };
}
