/**
 * The opaque keyset cursor of `taskList`, shared by every adapter so a cursor means the same
 * everywhere: the sort it was made for, and the sort value and id of the last row returned.
 */
import { ValidationError } from '../core/errors.ts';
import type { SortField, TaskFilter } from '../core/task-filter.ts';
import { loadSql } from './sql-files.ts';

export interface Cursor {
  s: SortField;
  o: 'asc' | 'desc';
  v: number;
  i: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function cursorInvalid(why: string): ValidationError {
  return new ValidationError(
    'CURSOR_INVALID',
    `The cursor ${why}; pass the nextCursor of the previous page unchanged, with the same sort and order.`,
    [{ path: 'cursor', message: why }],
  );
}

export function decodeCursor(text: string, sort: SortField, order: 'asc' | 'desc'): Cursor {
  let c: Partial<Cursor>;
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
  } catch {
    throw cursorInvalid('does not decode');
  }
  if (typeof c !== 'object' || c === null || typeof c.v !== 'number' || typeof c.i !== 'string') {
    throw cursorInvalid('does not decode');
  }
  if (c.s !== sort || c.o !== order) {
    throw cursorInvalid(`was made for sort ${String(c.s)} ${String(c.o)}, not ${sort} ${order}`);
  }
  return c as Cursor;
}

/** The cursor a call passed, decoded; null on the first page. */
export function cursorAfter(
  cursor: string | null | undefined,
  sort: SortField,
  order: 'asc' | 'desc',
): Cursor | null {
  return cursor === undefined || cursor === null || cursor === ''
    ? null
    : decodeCursor(cursor, sort, order);
}

/** What `taskList` takes, in every adapter. */
export interface ListParams {
  filter: TaskFilter;
  sort: SortField;
  order: 'asc' | 'desc';
  limit: number;
  cursor?: string | null;
  /** Rows to skip first (a numbered page); not with `cursor`. */
  offset?: number;
  /** Count the tasks matching `filter` as well. */
  total?: boolean;
}

/** Sort fields to column expressions. Unfinished tasks sort as if they finished at -1. */
const SORT_COLUMNS: Record<SortField, string> = {
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  runAt: 'run_at',
  priority: 'priority',
  finishedAt: 'coalesce(finished_at, -1)',
};

/**
 * An adapter's `task-list.sql` with its sort filled in: `{{sort}}`, `{{cmp}}` and `{{dir}}` come
 * from this allow-list, never from caller text; `{{fold}}`, PostgreSQL's only, from the store.
 */
export function listStatement(
  adapterDir: string,
  sort: SortField,
  order: 'asc' | 'desc',
  fold: SearchCollation = 'und-x-icu',
): string {
  return loadSql(adapterDir, 'task-list')
    .replaceAll('{{fold}}', `"${fold}"`)
    .replaceAll('{{sort}}', SORT_COLUMNS[sort])
    .replaceAll('{{cmp}}', order === 'asc' ? '>' : '<')
    .replaceAll('{{dir}}', order === 'asc' ? 'ASC' : 'DESC');
}

/** A list of filter values as the adapter's driver binds it (a text array, or JSON text). */
/**
 * How search folds case, on both stores: JavaScript's full Unicode lower-casing (`MÜNCHEN`,
 * `ΑΘΉΝΑ`, `МОСКВА` fold as `münchen`, `αθήνα`, `москва`). The pattern is folded here; SQLite
 * folds the row with this same function (taskmill_fold), PostgreSQL with ICU's root-locale
 * lower(), which maps alike.
 */
/** The collation PostgreSQL's search folds case under: ICU's root where the server has ICU, else
 * the database's default (Unicode-aware under a UTF-8 locale; ASCII only under `C`). */
export type SearchCollation = 'und-x-icu' | 'default';

export function foldCase(text: string): string {
  return text.toLowerCase();
}

type FilterList<L> = (values: readonly string[] | undefined) => L | null;

/**
 * The parameters of an adapter's `task-list.sql`, in order, with the page size and the row after
 * which the page starts. One more row than `limit` is asked for: its presence says another page
 * follows.
 */
export function listQuery<L>(p: ListParams, filterList: FilterList<L>) {
  const after = cursorAfter(p.cursor, p.sort, p.order);
  const limit = Math.max(0, Math.floor(p.limit));
  const params = [
    filterList(p.filter.status),
    filterList(p.filter.type),
    filterList(p.filter.queue),
    after?.v ?? null,
    after?.i ?? null,
    limit + 1,
    p.filter.search ? foldCase(p.filter.search) : null,
    p.filter.createdFrom ?? null,
    p.filter.createdTo ?? null,
    after === null ? Math.max(0, Math.floor(p.offset ?? 0)) : 0,
    p.filter.name ? foldCase(p.filter.name) : null,
    p.filter.workerId ?? null,
    p.filter.runId ?? null,
    p.filter.step ?? null,
  ] as const;
  return { limit, params };
}

/** The parameters of an adapter's `task-count.sql`, in order: the filter of `listQuery`. */
export function countQuery<L>(filter: TaskFilter, filterList: FilterList<L>) {
  return [
    filterList(filter.status),
    filterList(filter.type),
    filterList(filter.queue),
    filter.search ? foldCase(filter.search) : null,
    filter.createdFrom ?? null,
    filter.createdTo ?? null,
    filter.name ? foldCase(filter.name) : null,
    filter.workerId ?? null,
    filter.runId ?? null,
    filter.step ?? null,
  ] as const;
}

/** The page in the rows `listQuery` asked for, and the cursor of the next page (or null). */
export function pageOf<R extends { id: string; sort_value: number }>(
  rows: readonly R[],
  p: ListParams,
  limit: number,
): { page: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last !== undefined
      ? encodeCursor({ s: p.sort, o: p.order, v: last.sort_value, i: last.id })
      : null;
  return { page, nextCursor };
}
