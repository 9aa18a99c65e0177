/**
 * What the HTTP client takes and gives. Results have the library's shapes (dates as `Date`), so
 * code written against `mill.get` reads `client.get` the same way; where the API sends less than
 * the library holds, the type says so instead of inventing values.
 */
import type { BulkChanges } from '../core/bulk-filter.ts';
import type { AnyTaskDefinition, ExecutorKind, InputOf, OutputOf } from '../core/define-task.ts';
import type { StreamedEvent, TaskmillEvents } from '../core/events.ts';
import type { TaskOptions } from '../core/new-task.ts';
import type { SharedOperations } from '../core/operations.ts';
import type { PipelineBatch, PipelineRun, PipelineRunOperations } from '../core/pipeline-run.ts';
import type { PriorityName } from '../core/priority.ts';
import type { QueueInfo } from '../core/queue.ts';
import type { ScheduleOperations } from '../core/schedule.ts';
import type { Artifact, Execution, Task } from '../core/task.ts';
import type { ListOptions } from '../core/task-filter.ts';
import type { WorkerInfo } from '../core/worker-info.ts';

export type { CancelManyFilter, RetryManyFilter } from '../core/bulk-filter.ts';

/** What an access token may reach (src/server/auth.ts's scopes). */
export type Scope = 'read' | 'write' | 'admin' | 'worker';

export interface ClientOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:3000`; a path prefix (behind a proxy) is kept. */
  url: string;
  /** Sent as `Authorization: Bearer <token>`; needed when the server has access tokens. */
  token?: string;
  /** How long one request may take (an event stream: until it is open). Default 30 s. */
  timeoutMs?: number;
}

/**
 * A task as the API returns it: the library's `Task` less `leaseExpiresAt` and `crashCount`,
 * which the worker keeps for itself and the API does not send.
 */
export type RemoteTask<Input = unknown, Output = unknown> = Omit<
  Task<Input, Output>,
  'leaseExpiresAt' | 'crashCount'
>;

/** An artifact as the API lists it: where the server keeps the file is its own business. */
export type RemoteArtifact = Omit<Artifact, 'path'>;

/** A worker with the ids of the running tasks it holds (of the first 1,000 running). */
export interface RemoteWorker extends WorkerInfo {
  tasks: string[];
}

/** A queue as `GET /api/v1/queues` gives it: the library's, and how long its oldest waiting task
 * has waited by the server's clock (a browser's clock may be off). */
export interface RemoteQueue extends QueueInfo {
  /** Since `oldestWaitingAt`, by the server's clock when it answered; null when none waits. */
  oldestWaitingMs: number | null;
}

/** The library's submit options but `client` (a database transaction cannot cross HTTP). */
export type ClientSubmitOptions = TaskOptions;

export interface TaskPage {
  tasks: RemoteTask[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
  /** Tasks matching the filter: with `page`, or when `total` was asked for. */
  total?: number;
}

export type NameOf<D> = D extends { name: infer N } ? N : never;
type DefByName<Defs extends readonly AnyTaskDefinition[], N> = Extract<Defs[number], { name: N }>;
/** Without a definitions type (`string` names) any input goes: the server checks it. */
type Untyped<Defs extends readonly AnyTaskDefinition[]> =
  string extends NameOf<Defs[number]> ? true : false;
export type InputFor<Defs extends readonly AnyTaskDefinition[], N> =
  Untyped<Defs> extends true ? unknown : InputOf<DefByName<Defs, N>>;
export type OutputFor<Defs extends readonly AnyTaskDefinition[], N> =
  Untyped<Defs> extends true ? unknown : OutputOf<DefByName<Defs, N>>;

export interface ClientSubmitItem<Defs extends readonly AnyTaskDefinition[]> {
  type: NameOf<Defs[number]>;
  input: unknown;
  options?: ClientSubmitOptions;
}

/** What the caller may do (`GET /api/v1/access`): a dashboard hides what its token does not
 * allow. */
export interface AccessInfo {
  /** Whether the server needs a token; false: every route is open. */
  tokensRequired: boolean;
  /** The scopes the token reaches (`admin` counts for `read` and `write` too); every scope when
   * no token is needed. */
  scopes: Scope[];
}

/** What a client needs to build a submit form for one task type. */
export interface TaskTypeInfo {
  name: string;
  description: string | null;
  queue: string;
  priority: PriorityName;
  executor: ExecutorKind;
  maxAttempts: number;
  timeout: { softMs?: number; hardMs?: number };
  /** The typed submit route of this type. */
  submitPath: string;
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown> | null;
}

export interface HealthReport {
  /** False when the server answered 503 (readiness: a failing check). */
  ok: boolean;
  status: 'ok' | 'unavailable';
  checks: Record<string, string>;
}

export interface DownloadedArtifact {
  name: string;
  bytes: Uint8Array;
  /** Hex; checked against the server's `Repr-Digest` before the bytes are handed over. */
  sha256: string;
}

/** The event kinds the server streams (`STREAMED_KINDS` lists them). */
export type StreamedKind = StreamedEvent;

/** Events after `after` left the server's window before this client came back: read again. */
export interface GapEvent {
  id: null;
  kind: 'gap';
  data: { after: number; oldest: number };
}

/** One event of the stream, its payload typed by its kind and its times as `Date`. */
export type ServerEvent =
  | { [K in StreamedKind]: { id: number; kind: K; data: TaskmillEvents[K] } }[StreamedKind]
  | GapEvent;

export interface EventsOptions {
  taskId?: string;
  /** A task type. */
  type?: string;
  kinds?: readonly StreamedKind[];
  /** Start after this event id: what the server still holds of the events since comes first. */
  lastEventId?: number;
  /** Ends the stream (the iterator finishes without an error). */
  signal?: AbortSignal;
  /** After a dropped connection, keep trying to reconnect this long, then fail with
   * SERVER_UNREACHABLE. Default 30 s. */
  reconnectForMs?: number;
}

export interface WaitOptions {
  /** Fail with WAIT_TIMEOUT after this long. Default: wait as long as it takes. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Read the task this often besides following its events (a worker in another process on
   * SQLite emits no events to the server). Default 2 s. */
  pollMs?: number;
}

/** The pipeline operations of `mill.pipelines` by pipeline name; waiting takes `pollMs` too. */
export interface ClientPipelineOperations extends PipelineRunOperations<string> {
  wait(id: string, options?: WaitOptions): Promise<PipelineRun>;
  waitBatch(id: string, options?: WaitOptions): Promise<PipelineBatch>;
}

/** The HTTP API as typed calls: the operations it shares with the library
 * (`SharedOperations`, in src/core/operations.ts) and those of the API alone. `Defs` (your
 * `defineTask` tuple) types `submit`. */
export interface TaskmillClient<
  Defs extends readonly AnyTaskDefinition[] = readonly AnyTaskDefinition[],
> extends SharedOperations<RemoteTask, RemoteWorker>,
    BulkChanges {
  /** The base URL, without a trailing slash. */
  readonly url: string;
  /** The schedules, as `mill.schedules` offers them (times as `Date`). */
  readonly schedules: ScheduleOperations;
  /** Pipeline runs, as `mill.pipelines` offers them by pipeline name (times as `Date`). */
  readonly pipelines: ClientPipelineOperations;
  submit<N extends NameOf<Defs[number]>>(
    type: N,
    input: InputFor<Defs, N>,
    options?: ClientSubmitOptions,
  ): Promise<RemoteTask<InputFor<Defs, N>, OutputFor<Defs, N>>>;
  /** One transaction: all or none. `created[i]` is false where an idempotency key found a task
   * submitted before, which is returned instead. */
  submitMany(items: ClientSubmitItem<Defs>[]): Promise<{ tasks: RemoteTask[]; created: boolean[] }>;
  /** Every task that matches, walking the pages one request at a time. */
  listAll(options?: Omit<ListOptions, 'cursor'>): AsyncGenerator<RemoteTask, void, undefined>;
  artifacts(id: string): Promise<RemoteArtifact[]>;
  downloadArtifact(taskId: string, artifactId: string): Promise<DownloadedArtifact>;
  /** Every attempt of the task, oldest first, with its error and stack (`mill.executions`). */
  attempts(id: string): Promise<Execution[]>;
  /** The tasks this worker runs now, whole; WORKER_NOT_FOUND for an unknown worker. */
  workerTasks(workerId: string): Promise<RemoteTask[]>;
  /** What the token may do; AUTH_REQUIRED / AUTH_INVALID (401) without a good one where the
   * server needs one. */
  access(): Promise<AccessInfo>;
  taskTypes(): Promise<TaskTypeInfo[]>;
  /** The queues, with `oldestWaitingMs` besides the library's fields. */
  queues(): Promise<RemoteQueue[]>;
  /** Liveness: the process answers. */
  health(): Promise<HealthReport>;
  /** Readiness: `ok: false` with the failing check named when the server answers 503. */
  ready(): Promise<HealthReport>;
  /** Live events; reconnects with `Last-Event-ID` after a dropped connection. */
  events(options?: EventsOptions): AsyncGenerator<ServerEvent, void, undefined>;
  /** The task once it is completed, failed, timed out or cancelled. */
  wait(id: string, options?: WaitOptions): Promise<RemoteTask>;
}
