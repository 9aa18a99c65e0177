/**
 * The task shapes the task pages show, read off the client's own types (the dashboard imports
 * nothing of the project but its client), and the lists of values their controls offer. Each
 * list fails to compile when the client's type gains a value the list does not name.
 */
import type { RemoteTask, TaskmillClient } from '../../../src/client/types.ts';

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

export const STATUSES = [
  'pending',
  'queued',
  'paused',
  'running',
  'retrying',
  'completed',
  'failed',
  'timed_out',
  'cancelled',
  'skipped',
] as const satisfies readonly TaskStatus[];

export const PRIORITIES = [
  'critical',
  'high',
  'normal',
  'low',
] as const satisfies readonly PriorityName[];

/** The list's sort fields, with the words the sort menu shows for them. */
export const SORTS = [
  ['createdAt', 'Created'],
  ['updatedAt', 'Updated'],
  ['runAt', 'Run at'],
  ['priority', 'Priority'],
  ['finishedAt', 'Finished'],
] as const satisfies readonly (readonly [SortField, string])[];

/** What a bulk retry may retry, and what it retries when the filter names no status: the
 * failures (a cancelled task was stopped on purpose; filter on it to retry it). */
export const RETRYABLE = ['failed', 'timed_out', 'cancelled'] as const satisfies TaskStatus[];
export const RETRY_BY_DEFAULT = ['failed', 'timed_out'] as const satisfies TaskStatus[];
/** What a bulk cancel may cancel, and what it cancels when the filter names no status: the
 * tasks that wait (a running task is stopped only when `running` is asked for by name). */
export const CANCELLABLE = [
  'pending',
  'queued',
  'paused',
  'retrying',
  'running',
] as const satisfies TaskStatus[];
export const CANCEL_BY_DEFAULT = [
  'pending',
  'queued',
  'paused',
  'retrying',
] as const satisfies TaskStatus[];

/** Statuses a task's own actions apply to (src/core/status.ts's transitions). */
export const WAITING: readonly TaskStatus[] = ['pending', 'queued', 'paused', 'retrying'];
export const PAUSABLE: readonly TaskStatus[] = ['queued', 'retrying'];
export const ENDED: readonly TaskStatus[] = [
  'completed',
  'failed',
  'timed_out',
  'cancelled',
  'skipped',
];

// Compile-time checks: every status, priority and sort field of the client's types is listed.
type Unlisted<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
const everyStatus: Unlisted<TaskStatus, (typeof STATUSES)[number]> = true;
const everyPriority: Unlisted<PriorityName, (typeof PRIORITIES)[number]> = true;
const everySort: Unlisted<SortField, (typeof SORTS)[number][0]> = true;
void [everyStatus, everyPriority, everySort];

/** The first 8 characters of a UUIDv7 are its time: the last 8 tell tasks of a burst apart. */
export function shortId(id: string): string {
  return id.length > 12 ? `…${id.slice(-8)}` : id;
}
