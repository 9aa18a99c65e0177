/** Listing with keyset pagination: a page costs the same however deep into the list it is. */
import type { Task } from '../../core/task.ts';
import {
  type ListParams,
  listQuery,
  listStatement,
  pageOf,
  type SearchCollation,
} from '../list-cursor.ts';

import { ADAPTER_DIR, type PgSession } from './connection.ts';
import { type TaskRow, toTask } from './rows.ts';

export type { ListParams } from '../list-cursor.ts';

export async function listTasks(
  s: PgSession,
  p: ListParams,
  fold: SearchCollation,
): Promise<{ tasks: Task[]; nextCursor: string | null }> {
  const { limit, params } = listQuery(p, (values) =>
    values === undefined || values.length === 0 ? null : [...values],
  );
  // Each sort and order is its own prepared statement, named after it.
  const rows = await s.all<TaskRow & { sort_value: number }>(
    `task-list:${p.sort}:${p.order}`,
    [...params],
    () => listStatement(ADAPTER_DIR, p.sort, p.order, fold),
  );
  const { page, nextCursor } = pageOf(rows, p, limit);
  return { tasks: page.map(toTask), nextCursor };
}
