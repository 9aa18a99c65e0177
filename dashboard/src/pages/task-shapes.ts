/**
 * The task shapes the task pages show, read off the client's own types (the dashboard imports
 * nothing of the project but its client), and the lists of values their controls offer (the
 * server's own, through the client).
 */
import type { RemoteTask, TaskmillClient } from '../../../src/client/types.ts';
import { TERMINAL_STATUSES } from '../../../src/client/values.ts';

export type { RemoteTask };

type Client = TaskmillClient;

export type TaskStatus = RemoteTask['status'];
export type PriorityName = RemoteTask['priority'];
export type ListOptions = NonNullable<Parameters<Client['list']>[0]>;
export type SortField = NonNullable<ListOptions['sort']>;
export type RetryManyFilter = NonNullable<Parameters<Client['retryMany']>[0]>;
export type CancelManyFilter = NonNullable<Parameters<Client['cancelMany']>[0]>;
export type HistoryEntry = Awaited<ReturnType<Client['history']>>[number];
export type LogEntry = Awaited<ReturnType<Client['logs']>>[number];
export type Attempt = Awaited<ReturnType<Client['attempts']>>[number];
export type Artifact = Awaited<ReturnType<Client['artifacts']>>[number];
export type TaskType = Awaited<ReturnType<Client['taskTypes']>>[number];
export type SubmitOptions = NonNullable<Parameters<Client['submit']>[2]>;

export { PRIORITIES, STATUSES } from '../../../src/client/values.ts';

/** The list's sort fields, with the words the sort menu shows for them. */
export const SORTS = [
  ['createdAt', 'Created'],
  ['updatedAt', 'Updated'],
  ['runAt', 'Run at'],
  ['priority', 'Priority'],
  ['finishedAt', 'Finished'],
] as const satisfies readonly (readonly [SortField, string])[];

/** What a bulk retry may retry and a bulk cancel may cancel; what a bulk cancel cancels when the
 * filter names no status (the tasks that wait: a running task is stopped only when `running` is
 * asked for by name); the statuses a task's own actions apply to. */
export {
  CANCELLABLE_STATUSES as CANCELLABLE,
  RETRYABLE_STATUSES as RETRYABLE,
  WAITING_STATUSES as CANCEL_BY_DEFAULT,
  WAITING_STATUSES as WAITING,
} from '../../../src/client/values.ts';
/** What a bulk retry retries when the filter names no status: the failures (a cancelled task was
 * stopped on purpose; filter on it to retry it). */
export const RETRY_BY_DEFAULT = ['failed', 'timed_out'] as const satisfies TaskStatus[];
/** Ended: nothing more will happen to the task unless someone retries it. */
export const ENDED: readonly TaskStatus[] = TERMINAL_STATUSES;
/** A task may be paused from these (src/core/status.ts's transitions). */
export const PAUSABLE: readonly TaskStatus[] = ['queued', 'retrying'];

// A compile-time check: every sort field of the client's types is in the menu.
type Unlisted<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
const everySort: Unlisted<SortField, (typeof SORTS)[number][0]> = true;
void everySort;

/** The first 8 characters of a UUIDv7 are its time: the last 8 tell tasks of a burst apart. */
export function shortId(id: string): string {
  return id.length > 12 ? `…${id.slice(-8)}` : id;
}
