import { ValidationError } from '../core/errors.ts';
import { isStatus, STATUSES, type TaskStatus } from '../core/status.ts';
import type { TaskFilter } from '../core/task-filter.ts';

/** The search and time-range part of a list filter, checked: what the store can take. */
export function searchAndRange(o: {
  search?: string;
  name?: string;
  workerId?: string;
  runId?: string;
  step?: string;
  createdFrom?: Date | number;
  createdTo?: Date | number;
}): Pick<
  TaskFilter,
  'search' | 'name' | 'workerId' | 'runId' | 'step' | 'createdFrom' | 'createdTo'
> {
  const bad = (path: string, message: string): never => {
    throw new ValidationError('OPTIONS_INVALID', `Option "${path}" ${message}.`, [
      { path, message },
    ]);
  };
  // The same bounds for every text a list searches by: a NUL cannot be stored in PostgreSQL text.
  for (const path of ['search', 'name', 'workerId', 'runId', 'step'] as const) {
    const text = o[path];
    if (text === undefined) continue;
    if (typeof text !== 'string' || text.length > 200) {
      bad(path, 'must be text of at most 200 characters');
    }
    if (text.includes('\u0000')) bad(path, 'must not contain a NUL character');
  }
  const time = (path: string, v: Date | number | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const ms = +v;
    return Number.isFinite(ms) ? ms : bad(path, 'must be a valid date or a time in ms');
  };
  return {
    search: o.search || undefined,
    name: o.name || undefined,
    workerId: o.workerId || undefined,
    runId: o.runId || undefined,
    step: o.step || undefined,
    createdFrom: time('createdFrom', o.createdFrom),
    createdTo: time('createdTo', o.createdTo),
  };
}

/** The rows a numbered page skips; undefined without `page`. A page and a cursor together are
 * refused: they would say two different places in the list. */
export function pageOffset(
  o: { page?: number; cursor?: string | null },
  limit: number,
): number | undefined {
  if (o.page === undefined) return undefined;
  if (o.cursor !== undefined && o.cursor !== null && o.cursor !== '') {
    throw new ValidationError(
      'OPTIONS_INVALID',
      'Give "page" or "cursor", not both: a numbered page, or the nextCursor of the page before.',
      [{ path: 'page', message: 'not with cursor' }],
    );
  }
  return (o.page - 1) * limit;
}

/** The statuses a list filters by, each one of STATUSES: a misspelt one (`PENDING`) would match
 * nothing and look like an empty list, so it is refused with the allowed values. */
export function statusesOf(value: TaskStatus | TaskStatus[] | undefined): TaskStatus[] | undefined {
  if (value === undefined) return undefined;
  const list: unknown[] = Array.isArray(value) ? value : [value];
  const bad = list.find((s) => typeof s !== 'string' || !isStatus(s));
  if (bad !== undefined) {
    const message = `must be one of: ${STATUSES.join(', ')} (not ${JSON.stringify(bad)})`;
    throw new ValidationError('OPTIONS_INVALID', `Option "status" ${message}.`, [
      { path: 'status', message },
    ]);
  }
  return list as TaskStatus[];
}
