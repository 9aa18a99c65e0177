/**
 * The task list's filter, sort and page as the address's query keeps them (so a filtered view
 * can be bookmarked, shared and reloaded), and as the client's list and bulk calls take them.
 * Whatever the query holds is read leniently: an unknown status or sort is dropped, not an error.
 */
import {
  CANCEL_BY_DEFAULT,
  CANCELLABLE,
  type CancelManyFilter,
  type ListOptions,
  RETRY_BY_DEFAULT,
  RETRYABLE,
  type RetryManyFilter,
  SORTS,
  type SortField,
  STATUSES,
  type TaskStatus,
} from './task-shapes.ts';

export const PAGE_SIZE = 50;
/** The most tasks one bulk call changes (the API's limit). */
export const BULK_MAX = 10_000;

export interface TaskQuery {
  status: TaskStatus[];
  type: string;
  queue: string;
  name: string;
  search: string;
  /** A pipeline run's id and a step's name (from a run's page), or ''. The bulk changes do not
   * take them, so the list offers no bulk change while they are set. */
  run: string;
  step: string;
  /** ISO times, or '' for no bound. */
  from: string;
  to: string;
  sort: SortField;
  order: 'asc' | 'desc';
  page: number;
}

export const DEFAULT_QUERY: TaskQuery = {
  status: [],
  type: '',
  queue: '',
  name: '',
  search: '',
  run: '',
  step: '',
  from: '',
  to: '',
  sort: 'createdAt',
  order: 'desc',
  page: 1,
};

/** Every filter cleared, the sort and order kept. */
export const NO_FILTERS: Partial<TaskQuery> = (({
  sort: _sort,
  order: _order,
  page: _page,
  ...filters
}) => filters)(DEFAULT_QUERY);

const isStatus = (s: string): s is TaskStatus => (STATUSES as readonly string[]).includes(s);
const isSort = (s: string): s is SortField => SORTS.some(([field]) => field === s);
const isTime = (s: string) => s !== '' && !Number.isNaN(Date.parse(s));

export function parseQuery(search: string): TaskQuery {
  const params = new URLSearchParams(search);
  const text = (key: string) => params.get(key)?.trim() ?? '';
  const sort = text('sort');
  const page = Number(text('page'));
  const statuses = params.getAll('status').flatMap((s) => s.split(','));
  return {
    status: STATUSES.filter((s) => statuses.includes(s) && isStatus(s)),
    type: text('type'),
    queue: text('queue'),
    name: text('name'),
    search: text('q'),
    run: text('run'),
    step: text('step'),
    from: isTime(text('from')) ? text('from') : '',
    to: isTime(text('to')) ? text('to') : '',
    sort: isSort(sort) ? sort : DEFAULT_QUERY.sort,
    order: text('order') === 'asc' ? 'asc' : 'desc',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/** The query string of `query`, defaults left out (so the plain list is plain `/tasks`). */
export function queryString(query: TaskQuery): string {
  const params = new URLSearchParams();
  for (const s of query.status) params.append('status', s);
  const put = (key: string, value: string, fallback = '') => {
    if (value !== fallback) params.set(key, value);
  };
  put('type', query.type);
  put('queue', query.queue);
  put('name', query.name);
  put('q', query.search);
  put('run', query.run);
  put('step', query.step);
  put('from', query.from);
  put('to', query.to);
  put('sort', query.sort, DEFAULT_QUERY.sort);
  put('order', query.order, DEFAULT_QUERY.order);
  put('page', String(query.page), '1');
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The filter part alone (what the bulk actions act on), shared by the list and bulk calls. */
function filterOf(query: TaskQuery) {
  return {
    ...(query.type ? { type: query.type } : {}),
    ...(query.queue ? { queue: query.queue } : {}),
    ...(query.name ? { name: query.name } : {}),
    ...(query.search ? { search: query.search } : {}),
    ...(query.from ? { createdFrom: new Date(query.from) } : {}),
    ...(query.to ? { createdTo: new Date(query.to) } : {}),
  };
}

/** Whether the bulk changes can act on exactly the listed set (they take no run or step). */
export function bulkApplies(query: TaskQuery): boolean {
  return query.run === '' && query.step === '';
}

export function listOptions(query: TaskQuery): ListOptions {
  return {
    ...filterOf(query),
    ...(query.run ? { runId: query.run } : {}),
    ...(query.step ? { step: query.step } : {}),
    ...(query.status.length > 0 ? { status: query.status } : {}),
    sort: query.sort,
    order: query.order,
    limit: PAGE_SIZE,
    page: query.page,
    total: true,
  };
}

/** The statuses of the filtered set a bulk change reaches: those the filter names that the
 * change applies to, or its defaults when the filter names none. */
function reach<S extends TaskStatus>(
  query: TaskQuery,
  allowed: readonly S[],
  byDefault: readonly S[],
): S[] {
  if (query.status.length === 0) return [...byDefault];
  return allowed.filter((s) => query.status.includes(s));
}

export function retryStatuses(query: TaskQuery) {
  return reach(query, RETRYABLE, RETRY_BY_DEFAULT);
}

export function cancelStatuses(query: TaskQuery) {
  return reach(query, CANCELLABLE, CANCEL_BY_DEFAULT);
}

export function retryFilter(query: TaskQuery): RetryManyFilter {
  return { ...filterOf(query), status: retryStatuses(query), limit: BULK_MAX };
}

export function cancelFilter(query: TaskQuery): CancelManyFilter {
  return {
    ...filterOf(query),
    status: cancelStatuses(query),
    limit: BULK_MAX,
    reason: 'cancelled from the dashboard (bulk)',
  };
}

/** How many tasks of the filtered set are in `statuses`: one count, no rows. */
export function countOptions(query: TaskQuery, statuses: readonly TaskStatus[]): ListOptions {
  return { ...filterOf(query), status: [...statuses], limit: 1, page: 1, total: true };
}

/** An ISO time as a datetime-local input shows it (the browser's time zone), and back. */
export function localInput(iso: string): string {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}T${p(at.getHours())}:${p(at.getMinutes())}`;
}

export function fromLocalInput(local: string): string {
  if (!local) return '';
  const at = new Date(local);
  return Number.isNaN(at.getTime()) ? '' : at.toISOString();
}
