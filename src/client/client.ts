/**
 * `createClient({ url, token })`: every `/api/v1` operation as a typed call that returns the
 * library's shapes and throws the server's TaskmillError. Used by the CLI (`--server`) and the
 * tests. It speaks only HTTP: no database, no server code.
 */
import type { AnyTaskDefinition } from '../core/define-task.ts';
import { checkOptions } from '../core/options-check.ts';
import type { Priority } from '../core/priority.ts';
import type { ListOptions } from '../core/task-filter.ts';
import { STATUS_CHANGE_SPEC, TASK_UPDATE_SPEC, type TaskUpdate } from '../core/task-options.ts';
import { bulkOperations } from './bulk.ts';
import { Decoder } from './decode.ts';
import { openEventStream } from './event-stream.ts';
import { createTransport, invalidResponse, type QueryValue, unreachable } from './http.ts';
import {
  CLIENT_ITEM_SPEC,
  CLIENT_OPTIONS_SPEC,
  CLIENT_SUBMIT_SPEC,
  CLIENT_WAIT_SPEC,
  EVENTS_SPEC,
  LIST_ALL_SPEC,
  LIST_OPTIONS_SPEC,
  LOGS_OPTIONS_SPEC,
  RETRY_OPTIONS_SPEC,
} from './options.ts';
import { pipelineOperations } from './pipelines.ts';
import { scheduleOperations } from './schedules.ts';
import type {
  ClientOptions,
  ClientSubmitOptions,
  DownloadedArtifact,
  HealthReport,
  InputFor,
  NameOf,
  OutputFor,
  RemoteTask,
  TaskmillClient,
  TaskPage,
  TaskTypeInfo,
} from './types.ts';
import { waitForTask } from './wait.ts';

const enc = encodeURIComponent;

function iso(value: Date | number | undefined): string | undefined {
  return value === undefined ? undefined : new Date(value).toISOString();
}

function listOf<T extends string>(value: T | readonly T[] | undefined): readonly T[] | undefined {
  return value === undefined ? undefined : typeof value === 'string' ? [value] : value;
}

/** The library's submit options as the API's body fields (times as ISO strings). The options
 * were checked (CLIENT_SUBMIT_SPEC), so each is one the API takes. */
function submitFields(options: ClientSubmitOptions = {}): Record<string, unknown> {
  return { ...options, runAt: iso(options.runAt) };
}

function listQuery(options: ListOptions = {}): Record<string, QueryValue> {
  return {
    status: listOf(options.status),
    type: listOf(options.type),
    queue: listOf(options.queue),
    q: options.search,
    name: options.name,
    worker: options.workerId,
    run: options.runId,
    step: options.step,
    createdFrom: iso(options.createdFrom),
    createdTo: iso(options.createdTo),
    sort: options.sort,
    order: options.order,
    limit: options.limit,
    cursor: options.cursor ?? undefined,
    page: options.page,
    total: options.total === true ? 'true' : undefined,
  };
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** WebCrypto, which browsers and Node share. */
async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return hex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes)));
}

/** `sha-256=:<base64>:` from a Repr-Digest header, as hex; null when it names no SHA-256. */
function reprDigestSha256(header: string | null): string | null {
  const match = /sha-256=:([A-Za-z0-9+/=]+):/i.exec(header ?? '');
  if (!match?.[1]) return null;
  try {
    // atob is what both runtimes have for base64 (Uint8Array.fromBase64 is newer than Node 22).
    return hex(Uint8Array.from(atob(match[1]), (char) => char.charCodeAt(0)));
  } catch {
    return null; // Not base64 after all: as if no SHA-256 were named.
  }
}

/** The name a download names: `filename*` (UTF-8, RFC 6266) where the server sends it, else the
 * plain `filename` (an older server's, or its ASCII stand-in). */
function fileNameOf(disposition: string | null, fallback: string): string {
  const extended = /filename\*=UTF-8''([^;\s]+)/i.exec(disposition ?? '')?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended);
    } catch {
      // Not percent-encoding after all: the plain name below.
    }
  }
  return /filename="([^"]*)"/.exec(disposition ?? '')?.[1] ?? fallback;
}

export function createClient<
  const Defs extends readonly AnyTaskDefinition[] = readonly AnyTaskDefinition[],
>(options: ClientOptions): TaskmillClient<Defs> {
  checkOptions(CLIENT_OPTIONS_SPEC, options ?? null);
  const http = createTransport(options);
  const decode = new Decoder(http.url);
  const taskPath = (id: string) => `/api/v1/tasks/${enc(id)}`;
  const queuePath = (name: string) => `/api/v1/queues/${enc(name)}`;

  const health = async (path: string): Promise<HealthReport> => {
    const body = decode.object(
      await http.json({ method: 'GET', path, accept: [503] }),
      `${path}'s answer`,
      ['status'],
    );
    const checks = (body['checks'] ?? {}) as Record<string, string>;
    const status = body['status'] === 'ok' ? 'ok' : 'unavailable';
    return { ok: status === 'ok', status, checks };
  };

  /** Pause (`paused`) or resume (`queued`) one task: the operator's status change. */
  const setStatus = async (id: string, status: 'paused' | 'queued', o: { reason?: string }) => {
    checkOptions(STATUS_CHANGE_SPEC, o, 'options');
    const body = { status, ...(o.reason === undefined ? {} : { reason: o.reason }) };
    return decode.task(await http.json({ method: 'PUT', path: `${taskPath(id)}/status`, body }));
  };

  const client: TaskmillClient<Defs> = {
    url: http.url,
    schedules: scheduleOperations(http, decode),
    pipelines: pipelineOperations(http, decode, openEventStream.bind(null, http)),

    async submit<N extends NameOf<Defs[number]>>(
      type: N,
      input: InputFor<Defs, N>,
      submitOptions?: ClientSubmitOptions,
    ) {
      checkOptions(CLIENT_SUBMIT_SPEC, submitOptions, 'options');
      const body = { type, input, ...submitFields(submitOptions) };
      const task = decode.task(await http.json({ method: 'POST', path: '/api/v1/tasks', body }));
      // The server checked the input against this type's schema; the output is the handler's.
      return task as RemoteTask<InputFor<Defs, N>, OutputFor<Defs, N>>;
    },

    async submitMany(items) {
      for (const [i, item] of items.entries())
        checkOptions(CLIENT_ITEM_SPEC, item ?? null, `items[${i}]`);
      const tasks = items.map((item) => ({
        type: item.type,
        input: item.input,
        ...submitFields(item.options),
      }));
      const body = decode.object(
        await http.json({ method: 'POST', path: '/api/v1/tasks/batch', body: { tasks } }),
        'the batch',
        ['tasks', 'created'],
      );
      const created = decode.array(body['created'], 'batch.created').map((c) => c === true);
      return { tasks: decode.tasks(body['tasks'], 'batch.tasks'), created };
    },

    async get(id) {
      return decode.task(await http.json({ method: 'GET', path: taskPath(id) }));
    },

    async list(listOptions): Promise<TaskPage> {
      checkOptions(LIST_OPTIONS_SPEC, listOptions);
      const query = listQuery(listOptions);
      const body = decode.object(
        await http.json({ method: 'GET', path: '/api/v1/tasks', query }),
        'the task list',
        ['tasks'],
      );
      const next = body['nextCursor'];
      const total = body['total'];
      return {
        tasks: decode.tasks(body['tasks'], 'the task list'),
        nextCursor: typeof next === 'string' ? next : null,
        ...(typeof total === 'number' ? { total } : {}),
      };
    },

    async *listAll(listOptions = {}) {
      checkOptions(LIST_ALL_SPEC, listOptions);
      let cursor: string | null = null;
      do {
        const page = await client.list({ ...listOptions, cursor });
        yield* page.tasks;
        cursor = page.nextCursor;
      } while (cursor !== null);
    },

    async history(id) {
      const body = await http.json({ method: 'GET', path: `${taskPath(id)}/history` });
      return decode.history(body, id);
    },

    async logs(id, logOptions = {}) {
      checkOptions(LOGS_OPTIONS_SPEC, logOptions, 'options');
      const query = { after: logOptions.afterId, limit: logOptions.limit };
      return decode.logs(
        await http.json({ method: 'GET', path: `${taskPath(id)}/logs`, query }),
        id,
      );
    },

    async artifacts(id) {
      const body = await http.json({ method: 'GET', path: `${taskPath(id)}/artifacts` });
      return decode.artifacts(body, id);
    },

    async downloadArtifact(taskId, artifactId): Promise<DownloadedArtifact> {
      const path = `${taskPath(taskId)}/artifacts/${enc(artifactId)}`;
      const response = await http.send({ method: 'GET', path });
      let bytes: Uint8Array<ArrayBuffer>;
      try {
        bytes = new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        throw unreachable(http.url, `GET ${path}`, error);
      }
      const sha256 = await sha256Hex(bytes);
      const expected =
        reprDigestSha256(response.headers.get('repr-digest')) ??
        response.headers.get('etag')?.replaceAll('"', '') ??
        null;
      if (expected === null || expected.toLowerCase() !== sha256) {
        throw invalidResponse(
          http.url,
          expected === null
            ? `GET ${path} sent no digest (Repr-Digest) to check the artifact against`
            : `artifact ${artifactId} arrived with SHA-256 ${sha256}, but the server says ${expected}; download it again`,
          { taskId, artifactId, expected, actual: sha256 },
        );
      }
      const name = fileNameOf(response.headers.get('content-disposition'), artifactId);
      return { name, bytes, sha256 };
    },

    async cancel(id, reason) {
      const body = reason === undefined ? undefined : { reason };
      return decode.task(await http.json({ method: 'POST', path: `${taskPath(id)}/cancel`, body }));
    },

    async retry(id, retryOptions = {}) {
      checkOptions(RETRY_OPTIONS_SPEC, retryOptions, 'options');
      const body = retryOptions.maxAttempts === undefined ? undefined : retryOptions;
      return decode.task(await http.json({ method: 'POST', path: `${taskPath(id)}/retry`, body }));
    },

    ...bulkOperations(http, decode),

    async attempts(id) {
      const body = decode.object(
        await http.json({ method: 'GET', path: `${taskPath(id)}/attempts` }),
        'the attempts',
        ['attempts'],
      );
      return decode.attempts(body['attempts'], id);
    },

    async setPriority(id, priority: Priority) {
      const body = { priority };
      return decode.task(await http.json({ method: 'PATCH', path: taskPath(id), body }));
    },

    async update(id, changes: TaskUpdate) {
      checkOptions(TASK_UPDATE_SPEC, changes, 'changes');
      const body = { ...changes, runAt: iso(changes?.runAt) };
      return decode.task(await http.json({ method: 'PATCH', path: taskPath(id), body }));
    },

    async pause(id, statusOptions = {}) {
      return setStatus(id, 'paused', statusOptions);
    },

    async resume(id, statusOptions = {}) {
      return setStatus(id, 'queued', statusOptions);
    },

    async delete(id) {
      await http.json({ method: 'DELETE', path: taskPath(id) });
    },

    async taskTypes() {
      const body = await http.json({ method: 'GET', path: '/api/v1/task-types' });
      return decode.array(body, 'the task types') as TaskTypeInfo[];
    },

    async queues() {
      const body = await http.json({ method: 'GET', path: '/api/v1/queues' });
      return decode.queues(body);
    },

    async pauseQueue(name) {
      await http.json({ method: 'POST', path: `${queuePath(name)}/pause` });
    },

    async resumeQueue(name) {
      await http.json({ method: 'POST', path: `${queuePath(name)}/resume` });
    },

    async setQueueConcurrency(name, limit) {
      const body = { limit };
      await http.json({ method: 'PUT', path: `${queuePath(name)}/concurrency`, body });
    },

    async workers() {
      return decode.workers(await http.json({ method: 'GET', path: '/api/v1/workers' }));
    },

    async workerTasks(workerId) {
      const path = `/api/v1/workers/${enc(workerId)}/tasks`;
      const body = decode.object(await http.json({ method: 'GET', path }), 'the worker tasks', [
        'tasks',
      ]);
      return decode.tasks(body['tasks'], 'the worker tasks');
    },

    async access() {
      return decode.access(await http.json({ method: 'GET', path: '/api/v1/access' }));
    },

    async stats() {
      return decode.stats(await http.json({ method: 'GET', path: '/api/v1/stats' }));
    },

    health: () => health('/health'),
    ready: () => health('/health/ready'),

    events(eventOptions = {}) {
      checkOptions(EVENTS_SPEC, eventOptions);
      return openEventStream(http, eventOptions);
    },

    async wait(id, waitOptions) {
      checkOptions(CLIENT_WAIT_SPEC, waitOptions, 'options');
      const deps = {
        get: (taskId: string) => client.get(taskId),
        events: openEventStream.bind(null, http),
      };
      return waitForTask(deps, id, waitOptions);
    },
  };
  return client;
}
