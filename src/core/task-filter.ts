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
  /** Case-insensitive text found in the id, type, input or error (a literal, no wildcards). */
  search?: string;
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
  /** Case-insensitive text in the id, type, input or error. */
  search?: string;
  /** Created at or after this time. */
  createdFrom?: Date | number;
  /** Created before this time. */
  createdTo?: Date | number;
  sort?: SortField;
  order?: 'asc' | 'desc';
  /** 1..1000, default 50. */
  limit?: number;
  cursor?: string | null;
}

const NAMES = is.either(is.string, is.array);

/** What `list` takes, in the library and the client alike. */
export const LIST_OPTIONS_SPEC: OptionSpec = optionSpec<ListOptions>({
  status: NAMES,
  type: NAMES,
  queue: NAMES,
  search: is.string,
  createdFrom: is.time,
  createdTo: is.time,
  sort: is.oneOf(...SORT_FIELDS),
  order: is.oneOf('asc', 'desc'),
  limit: is.whole(1, 1000),
  cursor: valueRule('a cursor string or null', (v) => v === null || typeof v === 'string'),
});
