/** What a list of tasks is filtered and sorted by: the library, the HTTP API and the stores
 * speak it alike. */
import { is, type OptionSpec, optionSpec, valueRule } from './options-check.ts';
import type { TaskStatus } from './status.ts';

export const SORT_FIELDS = ['createdAt', 'updatedAt', 'runAt', 'priority', 'finishedAt'] as const;
export type SortField = (typeof SORT_FIELDS)[number];

export interface TaskFilter {
  status?: TaskStatus[];
  type?: string[];
  queue?: string[];
  /** Case-insensitive text found in the id, name, type, input or error (a literal, no
   * wildcards). */
  search?: string;
  /** Case-insensitive literal text in the task's name (tasks without a name never match). */
  name?: string;
  /** Tasks whose lease this worker holds: the ones it is running now. */
  workerId?: string;
  /** The tasks of one pipeline run: its steps' tasks and a map step's item tasks. */
  runId?: string;
  /** The tasks of the pipeline step of this name (with `runId`, of that run). */
  step?: string;
  /** Created at or after (ms). */
  createdFrom?: number;
  /** Created before (ms). */
  createdTo?: number;
}

/** The filter, sort and page of a task list as callers give it (the library, the client). */
export interface ListOptions {
  status?: TaskStatus | TaskStatus[];
  type?: string | string[];
  queue?: string | string[];
  /** Case-insensitive text in the id, name, type, input or error. */
  search?: string;
  /** Case-insensitive literal text in the task's name (a task without a name never matches). */
  name?: string;
  /** Only the tasks this worker holds the lease of: the ones it is running now. */
  workerId?: string;
  /** Only the tasks of this pipeline run: its steps' tasks and a map step's item tasks. */
  runId?: string;
  /** Only the tasks of the pipeline step of this name (with `runId`, of that run): a map step's
   * task and its items. */
  step?: string;
  /** Created at or after this time. */
  createdFrom?: Date | number;
  /** Created before this time. */
  createdTo?: Date | number;
  sort?: SortField;
  order?: 'asc' | 'desc';
  /** 1..1000, default 50. */
  limit?: number;
  cursor?: string | null;
  /** A numbered page from 1 (`limit` tasks each), instead of `cursor`; the answer has `total`. */
  page?: number;
  /** Count the tasks matching the filter (`total` in the answer); always with `page`. Counting
   * reads every match, so a cursor page does not unless asked. */
  total?: boolean;
}

/** A page of a task list; `total` when it was asked for (`total`, or `page`). */
export interface TaskPage<T> {
  tasks: T[];
  nextCursor: string | null;
  total?: number;
}

/** The deepest numbered page a list goes to: past it, use the cursor. */
export const MAX_PAGE = 100_000;

const NAMES = is.either(is.string, is.array);

/** What `list` takes, in the library and the client alike. */
export const LIST_OPTIONS_SPEC: OptionSpec = optionSpec<ListOptions>({
  status: NAMES,
  type: NAMES,
  queue: NAMES,
  search: is.string,
  name: is.string,
  workerId: is.string,
  runId: is.string,
  step: is.string,
  createdFrom: is.time,
  createdTo: is.time,
  sort: is.oneOf(...SORT_FIELDS),
  order: is.oneOf('asc', 'desc'),
  limit: is.whole(1, 1000),
  cursor: valueRule('a cursor string or null', (v) => v === null || typeof v === 'string'),
  page: is.whole(1, MAX_PAGE),
  total: is.boolean,
});
