/**
 * JSON Schemas of what the API sends and takes. Fastify validates requests with them and
 * serialises responses through them, and @fastify/swagger turns them into the OpenAPI document,
 * so the three cannot drift apart.
 */
import { MAX_TIMER_MS } from '../core/options-check.ts';
import { PRIORITIES } from '../core/priority.ts';
import { STATUSES } from '../core/status.ts';
import { LOG_LEVELS } from '../core/task.ts';
import { MAX_PAGE, SORT_FIELDS } from '../core/task-filter.ts';
import { MAX_TASK_NAME_LENGTH } from '../core/task-options.ts';

const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
export const uuid = { type: 'string', pattern: '^[0-9a-fA-F-]{36}$' } as const;
const priorityName = { type: 'string', enum: [...PRIORITIES] } as const;
const timeoutMs = { type: 'integer', minimum: 1, maximum: MAX_TIMER_MS } as const;
const timeoutProperties = {
  softMs: { ...timeoutMs, description: 'Past this, a warning in the log and an event; it goes on' },
  hardMs: { ...timeoutMs, description: 'Past this, the attempt is aborted and ends timed_out' },
} as const;
const statusName = { type: 'string', enum: [...STATUSES] } as const;

export const errorBody = {
  $id: 'Error',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable error code; see docs/reference/errors.md.' },
        message: { type: 'string', description: 'What was wrong and what to do.' },
        details: { type: 'object', additionalProperties: true },
        requestId: { type: 'string' },
      },
    },
  },
} as const;

export const taskError = {
  type: ['object', 'null'],
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    retryable: { type: 'boolean' },
  },
} as const;

export const taskSchema = {
  $id: 'Task',
  type: 'object',
  required: ['id', 'type', 'queue', 'priority', 'status', 'attempt', 'maxAttempts', 'createdAt'],
  properties: {
    id: { type: 'string' },
    name: { type: ['string', 'null'], description: "A person's name for the task, or null" },
    type: { type: 'string' },
    queue: { type: 'string' },
    priority: priorityName,
    status: statusName,
    input: {},
    output: {},
    error: taskError,
    attempt: { type: 'integer' },
    maxAttempts: { type: 'integer' },
    progress: { type: ['number', 'null'] },
    progressMessage: { type: ['string', 'null'] },
    idempotencyKey: { type: ['string', 'null'] },
    runAt: dateTime,
    createdAt: dateTime,
    updatedAt: dateTime,
    startedAt: nullableDateTime,
    finishedAt: nullableDateTime,
    workerId: { type: ['string', 'null'] },
    cancelRequested: { type: 'boolean' },
    timeout: {
      type: ['object', 'null'],
      properties: timeoutProperties,
      description: "The timeouts given at submit, each in place of the type's; null: the type's",
    },
    schedule: {
      type: ['object', 'null'],
      required: ['schedule', 'scheduledAt', 'backfill', 'manual'],
      properties: {
        schedule: { type: 'string' },
        scheduledAt: dateTime,
        backfill: { type: 'boolean' },
        manual: { type: 'boolean' },
      },
      description:
        'The schedule tick that made the task (its fire time; backfill: fired late by catch-up; manual: run now), or null',
    },
    pipeline: {
      type: ['object', 'null'],
      required: ['runId', 'step', 'item'],
      properties: {
        runId: { type: 'string' },
        step: { type: 'string' },
        item: { type: ['integer', 'null'] },
      },
      description:
        "The pipeline run and step the task carries out (item: a map step's item, from 0; null for the step's own task), or null",
    },
  },
} as const;

export const historySchema = {
  type: 'object',
  properties: {
    id: { type: 'integer', description: "The entry's position in the task's history, from 1." },
    from: { type: ['string', 'null'] },
    to: { type: 'string' },
    at: dateTime,
    reason: { type: ['string', 'null'] },
    workerId: { type: ['string', 'null'] },
  },
} as const;

export const logSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    attempt: { type: 'integer' },
    level: { type: 'string', enum: [...LOG_LEVELS] },
    message: { type: 'string' },
    at: dateTime,
  },
} as const;

export const artifactSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    attempt: { type: 'integer' },
    name: { type: 'string' },
    size: { type: 'integer' },
    sha256: { type: 'string' },
    createdAt: dateTime,
  },
} as const;

/** The options of a submit, beside `type` and `input`. */
export const submitOptionsProperties = {
  name: {
    type: 'string',
    minLength: 1,
    maxLength: MAX_TASK_NAME_LENGTH,
    description: 'A name for people: shown in lists, found by the q search',
  },
  // One enum rather than anyOf, so a bad value is refused with the allowed values listed.
  priority: {
    type: ['string', 'integer'],
    enum: [...PRIORITIES, 0, 1, 2, 3],
    description: 'critical, high, normal (default), low, or 0..3 (0 critical … 3 low)',
  },
  queue: { type: 'string', minLength: 1, maxLength: 128 },
  delayMs: { type: 'integer', minimum: 0, maximum: 31_536_000_000 },
  runAt: dateTime,
  idempotencyKey: { type: 'string', minLength: 1, maxLength: 255 },
  maxAttempts: { type: 'integer', minimum: 1, maximum: 1000 },
  dependsOn: {
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    maxItems: 1000,
    description:
      'Ids of tasks that must complete first: the task waits in pending until then, and ends (failed or cancelled) if one of them does not complete',
  },
  timeout: {
    type: 'object',
    additionalProperties: false,
    properties: timeoutProperties,
    description: "This task's timeouts in ms, each in place of the type's",
  },
} as const;

export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'array', items: statusName, maxItems: STATUSES.length },
    type: { type: 'array', items: { type: 'string', maxLength: 128 }, maxItems: 100 },
    queue: { type: 'array', items: { type: 'string', maxLength: 128 }, maxItems: 100 },
    sort: { type: 'string', enum: [...SORT_FIELDS] },
    order: { type: 'string', enum: ['asc', 'desc'] },
    limit: { type: 'integer', minimum: 1, maximum: 1000 },
    cursor: { type: 'string', maxLength: 1000 },
    page: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_PAGE,
      description:
        'A numbered page from 1 (limit tasks each) instead of cursor; the answer has total',
    },
    total: {
      type: 'boolean',
      description: 'Count the tasks matching the filter (total); always with page',
    },
    q: {
      type: 'string',
      maxLength: 200,
      description: 'Text to find in the id, name, type, input or error (case-insensitive, literal)',
    },
    name: {
      type: 'string',
      maxLength: 200,
      description: "Text to find in the task's name (case-insensitive, literal)",
    },
    worker: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      description: 'Only the tasks this worker (its id) holds the lease of: the ones it runs now',
    },
    run: {
      ...uuid,
      description: "Only the tasks of this pipeline run (its id): its steps' tasks and map items",
    },
    step: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      description:
        "Only the tasks of the pipeline step of this name (with run, of that run): a map step's task and its items",
    },
    createdFrom: { type: 'string', format: 'date-time', description: 'Created at or after' },
    createdTo: { type: 'string', format: 'date-time', description: 'Created before' },
  },
} as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: uuid },
} as const;

/** The 4xx/5xx answers every route may give, by reference to the shared error body. */
export function errorResponses(...statuses: number[]): Record<number, { $ref: string }> {
  const out: Record<number, { $ref: string }> = {};
  for (const s of statuses) out[s] = { $ref: 'Error#' };
  return out;
}
