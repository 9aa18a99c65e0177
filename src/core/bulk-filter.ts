/**
 * Changing every task that matches a filter at once: retry the failed ones, cancel the waiting
 * ones. The library (`mill.retryMany`, `mill.cancelMany`) and the client speak these alike, and
 * the filter is the task list's, so a dashboard acts on exactly the set its table shows.
 */
import { is, type OptionSpec, optionSpec, valueRule } from './options-check.ts';
import { RETRYABLE_STATUSES } from './status.ts';

/** Statuses a task may be cancelled from (a running one is asked to stop). */
export const CANCELLABLE_STATUSES = ['pending', 'queued', 'paused', 'retrying', 'running'] as const;
export type CancellableStatus = (typeof CANCELLABLE_STATUSES)[number];
export type RetryableStatus = (typeof RETRYABLE_STATUSES)[number];

/** What `cancelMany` cancels unless told: the tasks that wait. Running work is stopped only
 * when `running` is asked for by name, so a broad filter never aborts what is half done. */
export const WAITING_STATUSES = [
  'pending',
  'queued',
  'paused',
  'retrying',
] as const satisfies readonly CancellableStatus[];

/** The most tasks one bulk call changes. */
export const BULK_MAX = 10_000;
export const RETRY_MANY_DEFAULT_LIMIT = 10_000;
export const CANCEL_MANY_DEFAULT_LIMIT = 1_000;

/** The task list's filter (`ListOptions`) less its sort and page, plus how many to change. */
export interface BulkFilter {
  type?: string | string[];
  queue?: string | string[];
  /** Case-insensitive literal text in the id, name, type, input or error. */
  search?: string;
  /** Case-insensitive literal text in the task's name. */
  name?: string;
  /** Created at or after this time. */
  createdFrom?: Date | number;
  /** Created before this time. */
  createdTo?: Date | number;
  /** At most this many tasks (1..10,000), oldest first. */
  limit?: number;
}

export interface RetryManyFilter extends BulkFilter {
  /** Some of failed, timed_out, cancelled; default `['failed']`. */
  status?: RetryableStatus | RetryableStatus[];
  /** A new series of this many attempts; default the task's own. */
  maxAttempts?: number;
}

export interface CancelManyFilter extends BulkFilter {
  /** Some of pending, queued, paused, retrying, running; default every waiting one (not
   * running). */
  status?: CancellableStatus | CancellableStatus[];
  /** Recorded in each task's history. */
  reason?: string;
}

export interface RetryManyResult {
  retried: string[];
  /** Tasks that changed after they were found (retried by someone else, deleted), and steps of
   * pipeline runs (resume the run instead). */
  skipped: string[];
}

export interface CancelManyResult {
  cancelled: string[];
  /** Tasks that changed after they were found: ended, started while `running` was not asked
   * for, or deleted. */
  skipped: string[];
}

/** Both bulk changes, in the library and the client alike. */
export interface BulkChanges {
  /** Retry every task that matches, oldest first, each on its own (no one transaction). */
  retryMany(filter?: RetryManyFilter): Promise<RetryManyResult>;
  /** Cancel every task that matches through the one-task cancel (history row with the reason;
   * a running task is asked to stop), oldest first, each on its own. */
  cancelMany(filter?: CancelManyFilter): Promise<CancelManyResult>;
}

const NAMES = is.either(is.string, is.array);

function statusesRule(allowed: readonly string[]) {
  const ok = (v: unknown) => typeof v === 'string' && allowed.includes(v);
  return valueRule(
    `some of ${allowed.join(', ')} (one, or a non-empty array)`,
    (v) => ok(v) || (Array.isArray(v) && v.length > 0 && v.every(ok)),
  );
}

const BULK_RULES = {
  type: NAMES,
  queue: NAMES,
  name: is.string,
  search: is.string,
  createdFrom: is.time,
  createdTo: is.time,
  limit: is.whole(1, BULK_MAX),
} as const;

export const RETRY_MANY_SPEC: OptionSpec = optionSpec<RetryManyFilter>({
  ...BULK_RULES,
  status: statusesRule(RETRYABLE_STATUSES),
  maxAttempts: is.whole(1, 1000),
});

export const CANCEL_MANY_SPEC: OptionSpec = optionSpec<CancelManyFilter>({
  ...BULK_RULES,
  status: statusesRule(CANCELLABLE_STATUSES),
  reason: valueRule(
    'text of at most 1000 characters',
    (v) => typeof v === 'string' && v.length <= 1000,
  ),
});
