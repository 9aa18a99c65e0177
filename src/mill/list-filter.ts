import { ValidationError } from '../core/errors.ts';
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
