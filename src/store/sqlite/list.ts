/** Listing with keyset pagination: a page costs the same however deep into the list it is. */
import type { Task } from '../../core/task.ts';
import type { SortField } from '../../core/task-filter.ts';
import { countQuery, type ListParams, listQuery, listStatement, pageOf } from '../list-cursor.ts';

import { ADAPTER_DIR, type SqliteConnection } from './connection.ts';
import { type TaskRow, toTask } from './rows.ts';

export type { ListParams } from '../list-cursor.ts';

function statementFor(conn: SqliteConnection, sort: SortField, order: 'asc' | 'desc'): string {
  const key = `task-list:${sort}:${order}`;
  conn.prepareVariant(key, () => listStatement(ADAPTER_DIR, sort, order));
  return key;
}

const jsonList = (values: readonly string[] | undefined) =>
  values === undefined || values.length === 0 ? null : JSON.stringify(values);

export function listTasks(
  conn: SqliteConnection,
  p: ListParams,
): { tasks: Task[]; nextCursor: string | null; total?: number } {
  const { limit, params } = listQuery(p, jsonList);
  const rows = conn.all<TaskRow & { sort_value: number }>(
    statementFor(conn, p.sort, p.order),
    ...params,
  );
  const { page, nextCursor } = pageOf(rows, p, limit);
  if (p.total !== true) return { tasks: page.map(toTask), nextCursor };
  const count = conn.get<{ total: number }>('task-count', ...countQuery(p.filter, jsonList));
  return { tasks: page.map(toTask), nextCursor, total: Number(count?.total ?? 0) };
}
