/** Listing with keyset pagination: a page costs the same however deep into the list it is. */
import type { Task } from '../../core/task.ts';
import type { SortField } from '../../core/task-filter.ts';
import { type ListParams, listQuery, listStatement, pageOf } from '../list-cursor.ts';

import { ADAPTER_DIR, type SqliteConnection } from './connection.ts';
import { type TaskRow, toTask } from './rows.ts';

export type { ListParams } from '../list-cursor.ts';

function statementFor(conn: SqliteConnection, sort: SortField, order: 'asc' | 'desc'): string {
  const key = `task-list:${sort}:${order}`;
  conn.prepareVariant(key, () => listStatement(ADAPTER_DIR, sort, order));
  return key;
}

export function listTasks(
  conn: SqliteConnection,
  p: ListParams,
): { tasks: Task[]; nextCursor: string | null } {
  const { limit, params } = listQuery(p, (values) =>
    values === undefined || values.length === 0 ? null : JSON.stringify(values),
  );
  const rows = conn.all<TaskRow & { sort_value: number }>(
    statementFor(conn, p.sort, p.order),
    ...params,
  );
  const { page, nextCursor } = pageOf(rows, p, limit);
  return { tasks: page.map(toTask), nextCursor };
}
