/** Listing with keyset pagination: a page costs the same however deep into the list it is. */
import type { Task } from '../../core/task.ts';
import type { SortField, TaskFilter } from '../contract.ts';
import { cursorAfter, encodeCursor } from '../list-cursor.ts';
import { loadSql } from '../sql-files.ts';
import { ADAPTER_DIR, type PgSession } from './connection.ts';
import { type TaskRow, toTask } from './rows.ts';

/** Sort fields to column expressions. Unfinished tasks sort as if they finished at -1. */
const SORT_COLUMNS: Record<SortField, string> = {
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  runAt: 'run_at',
  priority: 'priority',
  finishedAt: 'coalesce(finished_at, -1)',
};

export interface ListParams {
  filter: TaskFilter;
  sort: SortField;
  order: 'asc' | 'desc';
  limit: number;
  cursor?: string | null;
}

function variant(sort: SortField, order: 'asc' | 'desc'): string {
  return loadSql(ADAPTER_DIR, 'task-list')
    .replaceAll('{{sort}}', SORT_COLUMNS[sort])
    .replaceAll('{{cmp}}', order === 'asc' ? '>' : '<')
    .replaceAll('{{dir}}', order === 'asc' ? 'ASC' : 'DESC');
}

function filterParam(values: readonly string[] | undefined): string[] | null {
  return values === undefined || values.length === 0 ? null : [...values];
}

export async function listTasks(
  s: PgSession,
  p: ListParams,
): Promise<{ tasks: Task[]; nextCursor: string | null }> {
  const after = cursorAfter(p.cursor, p.sort, p.order);
  const limit = Math.max(0, Math.floor(p.limit));
  // Each sort and order is its own prepared statement, named after it.
  const rows = await s.all<TaskRow & { sort_value: number }>(
    `task-list:${p.sort}:${p.order}`,
    [
      filterParam(p.filter.status),
      filterParam(p.filter.type),
      filterParam(p.filter.queue),
      after?.v ?? null,
      after?.i ?? null,
      limit + 1,
    ],
    () => variant(p.sort, p.order),
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last !== undefined
      ? encodeCursor({ s: p.sort, o: p.order, v: last.sort_value, i: last.id })
      : null;
  return { tasks: page.map(toTask), nextCursor };
}
