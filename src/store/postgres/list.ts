/** Listing with keyset pagination: a page costs the same however deep into the list it is. */
import type { Task } from '../../core/task.ts';
import {
  countQuery,
  type ListParams,
  listQuery,
  listStatement,
  pageOf,
  type SearchCollation,
} from '../list-cursor.ts';

import { loadSql } from '../sql-files.ts';
import { ADAPTER_DIR, type PgSession } from './connection.ts';
import { type TaskRow, toTask } from './rows.ts';

export type { ListParams } from '../list-cursor.ts';

const textArray = (values: readonly string[] | undefined) =>
  values === undefined || values.length === 0 ? null : [...values];

export async function listTasks(
  s: PgSession,
  p: ListParams,
  fold: SearchCollation,
): Promise<{ tasks: Task[]; nextCursor: string | null; total?: number }> {
  const { limit, params } = listQuery(p, textArray);
  // Each sort and order is its own prepared statement, named after it.
  const rows = await s.all<TaskRow & { sort_value: number }>(
    `task-list:${p.sort}:${p.order}`,
    [...params],
    () => listStatement(ADAPTER_DIR, p.sort, p.order, fold),
  );
  const { page, nextCursor } = pageOf(rows, p, limit);
  if (p.total !== true) return { tasks: page.map(toTask), nextCursor };
  const counted = await s.all<{ total: number }>(
    `task-count:${fold}`,
    [...countQuery(p.filter, textArray)],
    () => loadSql(ADAPTER_DIR, 'task-count').replaceAll('{{fold}}', `"${fold}"`),
  );
  return { tasks: page.map(toTask), nextCursor, total: Number(counted[0]?.total ?? 0) };
}
