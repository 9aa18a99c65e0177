/** Listing with keyset pagination: a page costs the same however deep into the list it is. */
import type { Task } from '../../core/task.ts';
import { cursorAfter, encodeCursor, type ListParams, listStatement } from '../list-cursor.ts';

import { ADAPTER_DIR, type PgSession } from './connection.ts';
import { type TaskRow, toTask } from './rows.ts';

export type { ListParams } from '../list-cursor.ts';

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
      p.filter.search || null,
      p.filter.createdFrom ?? null,
      p.filter.createdTo ?? null,
    ],
    () => listStatement(ADAPTER_DIR, p.sort, p.order),
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last !== undefined
      ? encodeCursor({ s: p.sort, o: p.order, v: last.sort_value, i: last.id })
      : null;
  return { tasks: page.map(toTask), nextCursor };
}
