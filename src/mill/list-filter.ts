import { ValidationError } from '../core/errors.ts';
import { isStatus, STATUSES, type TaskStatus } from '../core/status.ts';
import type { TaskFilter } from '../core/task-filter.ts';

/** The search and time-range part of a list filter, checked: what the store can take. */
export function searchAndRange(o: {
  search?: string;
  createdFrom?: Date | number;
  createdTo?: Date | number;
}): Pick<TaskFilter, 'search' | 'createdFrom' | 'createdTo'> {
  const bad = (path: string, message: string): never => {
    throw new ValidationError('OPTIONS_INVALID', `Option "${path}" ${message}.`, [
      { path, message },
    ]);
  };
  if (o.search !== undefined) {
    if (typeof o.search !== 'string' || o.search.length > 200) {
      bad('search', 'must be text of at most 200 characters');
    }
    if (o.search.includes('\u0000')) bad('search', 'must not contain a NUL character');
  }
  const time = (path: string, v: Date | number | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const ms = +v;
    return Number.isFinite(ms) ? ms : bad(path, 'must be a valid date or a time in ms');
  };
  return {
    search: o.search || undefined,
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
