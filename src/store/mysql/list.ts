/** Listing with keyset pagination: a page costs the same however deep into the list it is. */
import type { Task } from '../../core/task.ts';
import { countQuery, type ListParams, listQuery, listStatement, pageOf } from '../list-cursor.ts';
import { ADAPTER_DIR, type MySession } from './connection.ts';
import { type TaskRow, toTask } from './rows.ts';

export type { ListParams } from '../list-cursor.ts';

const jsonList = (values: readonly string[] | undefined) =>
  values === undefined || values.length === 0 ? null : JSON.stringify(values);

export async function listTasks(
  s: MySession,
  p: ListParams,
): Promise<{ tasks: Task[]; nextCursor: string | null; total?: number }> {
  const { limit, params } = listQuery(p, jsonList);
  const [
    statuses,
    types,
    queues,
    afterV,
    afterI,
    pageRows,
    search,
    from,
    to,
    offset,
    name,
    worker,
    run,
    step,
  ] = params;
  // Each sort and order is its own statement text, named after it in errors.
  const rows = await s.all<TaskRow & { sort_value: number }>(
    `task-list:${p.sort}:${p.order}`,
    [
      statuses,
      types,
      queues,
      afterV,
      afterI,
      search,
      from,
      to,
      name,
      worker,
      run,
      step,
      pageRows,
      offset,
    ],
    () => listStatement(ADAPTER_DIR, p.sort, p.order),
  );
  const { page, nextCursor } = pageOf(rows, p, limit);
  if (p.total !== true) return { tasks: page.map(toTask), nextCursor };
  const counted = await s.get<{ total: number }>('task-count', [...countQuery(p.filter, jsonList)]);
  return { tasks: page.map(toTask), nextCursor, total: Number(counted?.total ?? 0) };
}
