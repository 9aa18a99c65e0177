/**
 * JSON Schemas of the schedule routes: a definition as a request gives it, a schedule with its
 * state and stats, a run, a day of the report, what `apply` did. The words are those of
 * src/core/schedule.ts, which the library, the client and the CLI share.
 */
import { MAX_TIMER_MS } from '../core/options-check.ts';
import { PRIORITIES } from '../core/priority.ts';
import { CATCH_UP_POLICIES, OVERLAP_POLICIES, SKIP_REASONS } from '../core/schedule.ts';
import { STATUSES } from '../core/status.ts';
import { submitOptionsProperties } from './schemas.ts';

const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
const nullableNumber = { type: ['number', 'null'] } as const;

/** Letters, digits, `.`, `_`, `-`, `:`; at most 128 characters (src/core/schedule.ts). */
export const scheduleName = {
  type: 'string',
  pattern: '^[A-Za-z0-9._:-]{1,128}$',
  description: 'Unique; letters, digits, ".", "_", "-", ":"; at most 128 characters',
} as const;

export const scheduleNameParams = {
  type: 'object',
  required: ['name'],
  properties: { name: scheduleName },
} as const;

/** Every field of a definition but its name; each optional (a PATCH changes those it gives). */
const definitionFields = {
  cron: {
    type: 'string',
    minLength: 1,
    maxLength: 200,
    description: 'Five fields (minute first), six (seconds first), or @yearly … @hourly',
  },
  timezone: {
    type: 'string',
    minLength: 1,
    maxLength: 100,
    description: 'IANA time zone the expression is read in (default UTC)',
  },
  task: {
    type: 'string',
    minLength: 1,
    maxLength: 128,
    description: 'The task type each tick submits',
  },
  input: { description: "The task's input, checked against the type's schema when saved" },
  priority: submitOptionsProperties.priority,
  queue: submitOptionsProperties.queue,
  maxAttempts: submitOptionsProperties.maxAttempts,
  timeout: submitOptionsProperties.timeout,
  enabled: { type: 'boolean', description: 'Default true' },
  description: { type: 'string', maxLength: 1000 },
  overlap: {
    type: 'string',
    enum: [...OVERLAP_POLICIES],
    description:
      'While the previous run is unfinished: allow (default), skip, or queue one behind it',
  },
  catchUp: {
    type: 'string',
    enum: [...CATCH_UP_POLICIES],
    description:
      'Ticks missed while no scheduler ran: none (default), latest, or all within the window',
  },
  catchUpWindowMs: {
    type: 'integer',
    minimum: 1,
    maximum: MAX_TIMER_MS,
    description: "With catchUp 'all': only ticks this recent are backfilled (default 24 h)",
  },
} as const;

export const definitionBody = {
  type: 'object',
  required: ['name', 'cron', 'task'],
  additionalProperties: false,
  properties: { name: scheduleName, ...definitionFields },
} as const;

export const changesBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: definitionFields,
} as const;

const counts = {
  type: 'object',
  properties: Object.fromEntries(SKIP_REASONS.map((r) => [r, { type: 'integer' }])),
} as const;

export const scheduleSchema = {
  $id: 'Schedule',
  type: 'object',
  required: ['name', 'cron', 'timezone', 'task', 'enabled', 'overlap', 'catchUp', 'stats'],
  properties: {
    name: { type: 'string' },
    cron: { type: 'string' },
    timezone: { type: 'string' },
    task: { type: 'string' },
    input: {},
    priority: { anyOf: [{ type: 'string', enum: [...PRIORITIES] }, { type: 'integer' }] },
    queue: { type: 'string' },
    maxAttempts: { type: ['integer', 'null'] },
    timeout: { type: ['object', 'null'], properties: submitOptionsProperties.timeout.properties },
    enabled: { type: 'boolean' },
    description: { type: ['string', 'null'] },
    overlap: { type: 'string', enum: [...OVERLAP_POLICIES] },
    catchUp: { type: 'string', enum: [...CATCH_UP_POLICIES] },
    catchUpWindowMs: { type: 'integer' },
    createdAt: dateTime,
    updatedAt: dateTime,
    lastRunAt: { ...nullableDateTime, description: 'The last tick that made a task' },
    nextRunAt: { ...nullableDateTime, description: 'Null when disabled or no fire time is left' },
    stats: {
      type: 'object',
      properties: {
        runs: { type: 'integer', description: 'Ticks that made a task (run now included)' },
        completed: { type: 'integer' },
        failed: { type: 'integer' },
        successRate: { ...nullableNumber, description: '0..1; null before any run ended' },
        meanDurationMs: nullableNumber,
        minDurationMs: nullableNumber,
        maxDurationMs: nullableNumber,
        skipped: { ...counts, description: 'Ticks that made no task, by reason' },
      },
    },
  },
} as const;

export const scheduleRunSchema = {
  $id: 'ScheduleRun',
  type: 'object',
  required: ['schedule', 'scheduledAt', 'backfill', 'manual'],
  properties: {
    schedule: { type: 'string' },
    scheduledAt: { ...dateTime, description: 'The fire time (run now: when it was asked)' },
    backfill: { type: 'boolean', description: 'A missed tick fired later by the catch-up policy' },
    manual: { type: 'boolean', description: 'Made by run now' },
    taskId: { type: ['string', 'null'], description: 'Null when skipped' },
    skipped: { type: ['string', 'null'], enum: [...SKIP_REASONS, null] },
    status: { type: ['string', 'null'], enum: [...STATUSES, null] },
    durationMs: nullableNumber,
  },
} as const;

export const dayReportSchema = {
  type: 'object',
  properties: {
    schedule: { type: 'string' },
    day: { type: 'string', description: 'UTC day, YYYY-MM-DD' },
    runs: { type: 'integer' },
    completed: { type: 'integer' },
    failed: { type: 'integer' },
    skipped: { type: 'integer' },
    successRate: nullableNumber,
    meanDurationMs: nullableNumber,
    maxDurationMs: nullableNumber,
  },
} as const;

export const applyResultSchema = {
  type: 'object',
  properties: Object.fromEntries(
    ['created', 'updated', 'unchanged', 'disabled'].map((k) => [
      k,
      { type: 'array', items: { type: 'string' } },
    ]),
  ),
} as const;
