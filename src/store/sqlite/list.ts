/** Listing with keyset pagination: a page costs the same however deep into the list it is. */
import type { Task } from '../../core/task.ts';
import type { SortField } from '../../core/task-filter.ts';
import { cursorAfter, encodeCursor, type ListParams, listStatement } from '../list-cursor.ts';

import { ADAPTER_DIR, type SqliteConnection } from './connection.ts';
import { type TaskRow, toTask } from './rows.ts';

export type { ListParams } from '../list-cursor.ts';

function statementFor(conn: SqliteConnection, sort: SortField, order: 'asc' | 'desc'): string {
  const key = `task-list:${sort}:${order}`;
  conn.prepareVariant(key, () => listStatement(ADAPTER_DIR, sort, order));
  return key;
}

function filterParam(values: readonly string[] | undefined): string | null {
  return values === undefined || values.length === 0 ? null : JSON.stringify(values);
}

export function listTasks(
  conn: SqliteConnection,
  p: ListParams,
): { tasks: Task[]; nextCursor: string | null } {
  const after = cursorAfter(p.cursor, p.sort, p.order);
  const limit = Math.max(0, Math.floor(p.limit));
  const rows = conn.all<TaskRow & { sort_value: number }>(
    statementFor(conn, p.sort, p.order),
    filterParam(p.filter.status),
    filterParam(p.filter.type),
    filterParam(p.filter.queue),
    after?.v ?? null,
    after?.i ?? null,
    limit + 1,
    p.filter.search || null,
    p.filter.createdFrom ?? null,
    p.filter.createdTo ?? null,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last !== undefined
      ? encodeCursor({ s: p.sort, o: p.order, v: last.sort_value, i: last.id })
      : null;
  return { tasks: page.map(toTask), nextCursor };
}
