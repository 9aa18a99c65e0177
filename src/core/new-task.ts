/**
 * A new task: what a store inserts, and how it is built from a submission. Everything is checked
 * here, before any store is touched, so a bad item in a batch leaves nothing behind. The library,
 * schedules and pipelines build tasks alike.
 */
import { createHash } from 'node:crypto';
import { type AnyTaskDefinition, parseInput, validateQueueName } from './define-task.ts';
import { type FieldIssue, TaskmillError, UnknownTaskTypeError, ValidationError } from './errors.ts';
import { forbiddenContent } from './forbidden-content.ts';
import { isUuid, uuidv7 } from './ids.ts';
import type { Priority } from './priority.ts';
import { priorityLevel, priorityName } from './priority.ts';
import { maxAttemptsOf } from './retry-policy.ts';
import type { Task } from './task.ts';

const MAX_KEY_LENGTH = 255;
const MAX_ATTEMPTS = 1000;
const MAX_DEPENDENCIES = 1000;

function dependsOnOf(value: unknown, path: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (
    !Array.isArray(value) ||
    value.length > MAX_DEPENDENCIES ||
    !value.every((id) => typeof id === 'string' && isUuid(id))
  ) {
    optionIssue(`${path}dependsOn`, `expected an array of at most ${MAX_DEPENDENCIES} task ids`);
  }
  return value.length === 0 ? undefined : [...value];
}

function optionIssue(path: string, message: string): never {
  throw new ValidationError('OPTIONS_INVALID', `Option "${path}" is invalid: ${message}.`, [
    { path, message },
  ]);
}

function runAtOf(options: TaskOptions, now: number, path: string): number {
  if (options.runAt !== undefined && options.delayMs !== undefined) {
    optionIssue(`${path}runAt`, 'give runAt or delayMs, not both');
  }
  if (options.runAt !== undefined) {
    const at = options.runAt instanceof Date ? options.runAt.getTime() : options.runAt;
    if (typeof at !== 'number' || !Number.isFinite(at))
      optionIssue(`${path}runAt`, 'expected a Date or milliseconds since the epoch');
    return Math.max(at, 0);
  }
  if (options.delayMs !== undefined) {
    const d = options.delayMs;
    if (typeof d !== 'number' || !Number.isFinite(d) || d < 0)
      optionIssue(`${path}delayMs`, 'expected a number of milliseconds ≥ 0');
    return now + Math.round(d);
  }
  return now;
}

/**
 * Validate one submission and build the row to insert. Everything is checked here, before the
 * store is touched, so a bad item in a batch leaves nothing behind.
 */
export function buildNewTask(
  definitions: ReadonlyMap<string, AnyTaskDefinition>,
  type: string,
  input: unknown,
  options: TaskOptions | undefined,
  now: number,
  path = '',
): NewTask {
  const def = definitions.get(type);
  if (!def) throw new UnknownTaskTypeError(type, [...definitions.keys()]);
  try {
    parseInput(def, input);
    const bad = forbiddenContent(input);
    if (bad) {
      const at = bad.path === '(root)' ? 'input' : `input.${bad.path}`;
      throw new ValidationError(
        'TASK_INPUT_INVALID',
        `Input for task type "${type}" is refused at ${at}: ${bad.message}.`,
        [{ path: at, message: bad.message }],
        { type },
      );
    }
  } catch (error) {
    if (error instanceof ValidationError && path) {
      const issues: FieldIssue[] = error.issues.map((i) => ({
        path: `${path}${i.path}`,
        message: i.message,
      }));
      throw new ValidationError('TASK_INPUT_INVALID', error.message, issues, { type });
    }
    throw error;
  }
  const o = options ?? {};
  if (typeof o !== 'object') optionIssue(`${path}options`, 'expected an object');
  let priority = def.priority;
  if (o.priority !== undefined) {
    try {
      priority = priorityLevel(o.priority);
    } catch (error) {
      if (error instanceof TaskmillError)
        optionIssue(`${path}priority`, 'expected critical, high, normal, low or 0..3');
      throw error;
    }
  }
  const queue = o.queue ?? def.queue;
  validateQueueName(queue, `${path}queue`);
  const maxAttempts = o.maxAttempts ?? maxAttemptsOf(def.retry);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
    optionIssue(`${path}maxAttempts`, `expected a whole number from 1 to ${MAX_ATTEMPTS}`);
  }
  const key = o.idempotencyKey;
  if (
    key !== undefined &&
    (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH)
  ) {
    optionIssue(`${path}idempotencyKey`, `expected a string of 1..${MAX_KEY_LENGTH} characters`);
  }
  const dependsOn = dependsOnOf(o.dependsOn, path);
  return {
    ...(dependsOn === undefined ? {} : { dependsOn }),
    id: uuidv7(now),
    type,
    queue,
    priority,
    status: 'queued',
    input: input === undefined ? null : input,
    maxAttempts,
    runAt: runAtOf(o, now, path),
    idempotencyKey: key ?? null,
    inputHash:
      key === undefined
        ? null
        : createHash('sha256')
            .update(type)
            .update('\0')
            .update(JSON.stringify(input) ?? 'null')
            .digest('hex'),
  };
}

/** The task as just inserted, without reading it back. */
export function taskFromNew(t: NewTask, now: number): Task {
  return {
    id: t.id,
    type: t.type,
    queue: t.queue,
    priority: priorityName(t.priority),
    status: t.status,
    input: t.input,
    output: null,
    error: null,
    attempt: 0,
    maxAttempts: t.maxAttempts,
    progress: null,
    progressMessage: null,
    idempotencyKey: t.idempotencyKey,
    runAt: new Date(t.runAt),
    createdAt: new Date(now),
    updatedAt: new Date(now),
    startedAt: null,
    finishedAt: null,
    workerId: null,
    leaseExpiresAt: null,
    cancelRequested: false,
    crashCount: 0,
  };
}

export interface NewTask {
  id: string;
  type: string;
  queue: string;
  /** 0..3, lower first. */
  priority: number;
  status: 'queued' | 'pending' | 'paused';
  /** JSON-serialisable, already validated. */
  input: unknown;
  maxAttempts: number;
  runAt: number;
  idempotencyKey: string | null;
  /** Fingerprint of type and input: a replay of a key matches it, a conflicting reuse does not. */
  inputHash: string | null;
  /** Tasks (stored, or earlier in the same batch) that must complete before this one is
   * queued; it waits in `pending` meanwhile (see src/core/follow-ups.ts). */
  dependsOn?: string[];
}

/** How one task is submitted: the options of `submit`, of an HTTP submit body, and of the tasks
 * a schedule or a pipeline submits. */
export interface TaskOptions {
  priority?: Priority;
  /** Do not start before this time. */
  runAt?: Date | number;
  /** Do not start before now + delayMs. */
  delayMs?: number;
  /** A second submit with the same key returns the first task. */
  idempotencyKey?: string;
  queue?: string;
  maxAttempts?: number;
  /**
   * Ids of tasks that must complete first (at most 1,000). The task waits in `pending` until the
   * last of them completes, then is queued; if one of them fails, times out or is cancelled, it
   * ends too (`failed` with DEPENDENCY_FAILED, or `cancelled`). Each must exist already, or come
   * earlier in the same `submitMany`; one that has already failed is refused
   * (DEPENDENCY_FAILED), an unknown one too (DEPENDENCY_NOT_FOUND).
   */
  dependsOn?: string[];
}
