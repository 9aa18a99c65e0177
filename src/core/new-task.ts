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
import { checkOptions, type OptionSpec } from './options-check.ts';
import { priorityLevel, priorityName } from './priority.ts';
import { maxAttemptsOf } from './retry-policy.ts';
import type { Task } from './task.ts';
import {
  MAX_DEPENDENCIES,
  MAX_TASK_NAME_LENGTH,
  TASK_OPTIONS_SPEC,
  type TaskOptions,
  type TaskTimeout,
} from './task-options.ts';

export { TASK_OPTIONS_SPEC, type TaskOptions };

const MAX_KEY_LENGTH = 255;
/**
 * The largest input a task takes, as UTF-8 JSON: 1 MiB, what the HTTP API takes as a whole body,
 * so a task the library accepts can be read back over the API. The input is copied into every
 * claim, every read of the task, the task list and its events; data larger than this belongs in
 * a file or an object store, with the task holding its address.
 */
export const MAX_INPUT_BYTES = 1024 * 1024;

function dependsOnOf(value: unknown[] | undefined, path: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (
    value.length > MAX_DEPENDENCIES ||
    !value.every((id) => typeof id === 'string' && isUuid(id))
  ) {
    optionIssue(`${path}.dependsOn`, `expected an array of at most ${MAX_DEPENDENCIES} task ids`);
  }
  return value.length === 0 ? undefined : (value as string[]).slice();
}

/** The input as stored (JSON text), refused when it is larger than MAX_INPUT_BYTES. */
function inputJson(type: string, input: unknown): string {
  let json: string;
  try {
    json = JSON.stringify(input) ?? 'null';
  } catch (error) {
    const message = `is not JSON: ${(error as Error).message}`;
    throw new ValidationError(
      'TASK_INPUT_INVALID',
      `Input for task type "${type}" ${message}.`,
      [{ path: 'input', message }],
      { type },
    );
  }
  // Each UTF-16 unit is at most 3 bytes of UTF-8: most inputs pass without counting them.
  if (json.length * 3 <= MAX_INPUT_BYTES) return json;
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes <= MAX_INPUT_BYTES) return json;
  throw new ValidationError(
    'TASK_INPUT_TOO_LARGE',
    `Input for task type "${type}" is ${bytes} bytes as JSON, over the limit of ${MAX_INPUT_BYTES} bytes (1 MiB): store large data in a file or an object store and pass its address.`,
    [{ path: 'input', message: `${bytes} bytes, over the limit of ${MAX_INPUT_BYTES}` }],
    { type, bytes, limit: MAX_INPUT_BYTES },
  );
}

/** What a getter, a proxy or a toJSON threw while the input was read: the caller's input is at
 * fault, so it is a coded refusal rather than a raw TypeError. */
function unreadableInput(type: string, error: unknown): ValidationError {
  const message = `could not be read: ${error instanceof Error ? error.message : String(error)}`;
  return new ValidationError(
    'TASK_INPUT_INVALID',
    `Input for task type "${type}" ${message}.`,
    [{ path: 'input', message }],
    { type },
  );
}

function optionIssue(path: string, message: string): never {
  throw new ValidationError('OPTIONS_INVALID', `Option "${path}" is invalid: ${message}.`, [
    { path, message },
  ]);
}

/** When the task may start; the types were checked with the options. */
function runAtOf(options: TaskOptions, now: number, path: string): number {
  if (options.runAt !== undefined && options.delayMs !== undefined) {
    optionIssue(`${path}.runAt`, 'give runAt or delayMs, not both');
  }
  if (options.runAt !== undefined) return Math.max(+options.runAt, 0);
  if (options.delayMs !== undefined) return now + Math.round(options.delayMs);
  return now;
}

/**
 * An input checked as a submit checks it (the type's schema, forbidden content, the size limit),
 * as the JSON text to store. `path` prefixes the names of bad fields, as in buildNewTask.
 */
export function checkedInputJson(def: AnyTaskDefinition, input: unknown, path = ''): string {
  const type = def.name;
  try {
    parseInput(def, input);
    const bad = forbiddenContent(input, true);
    if (bad) {
      const where = bad.path === '(root)' ? 'input' : `input.${bad.path}`;
      throw new ValidationError(
        'TASK_INPUT_INVALID',
        `Input for task type "${type}" is refused at ${where}: ${bad.message}.`,
        [{ path: where, message: bad.message }],
        { type },
      );
    }
    return inputJson(type, input);
  } catch (caught) {
    const error = caught instanceof TaskmillError ? caught : unreadableInput(type, caught);
    if (error instanceof ValidationError && path) {
      const issues: FieldIssue[] = error.issues.map((i) => ({
        path: `${path}${i.path}`,
        message: i.message,
      }));
      throw new ValidationError(error.code, error.message, issues, error.details);
    }
    throw error;
  }
}

/**
 * Validate one submission and build the row to insert. Everything is checked here, before the
 * store is touched, so a bad item in a batch leaves nothing behind. `path` prefixes the names of
 * bad fields: empty for `submit(type, input, options)`, `items[2].` for an item of a batch.
 * `spec` is the options this call takes (TASK_OPTIONS_SPEC, or more where the call has more).
 */
export function buildNewTask(
  definitions: ReadonlyMap<string, AnyTaskDefinition>,
  type: string,
  input: unknown,
  options: TaskOptions | undefined,
  now: number,
  path = '',
  spec: OptionSpec = TASK_OPTIONS_SPEC,
): NewTask {
  const def = definitions.get(type);
  if (!def) throw new UnknownTaskTypeError(type, [...definitions.keys()]);
  const at = `${path}options`;
  checkOptions(spec, options, at);
  const json = checkedInputJson(def, input, path);
  const o = options ?? {};
  const priority = o.priority === undefined ? def.priority : priorityLevel(o.priority);
  const queue = o.queue ?? def.queue;
  validateQueueName(queue, `${at}.queue`);
  const maxAttempts = o.maxAttempts ?? maxAttemptsOf(def.retry);
  const key = o.idempotencyKey;
  if (key !== undefined && (key.length === 0 || key.length > MAX_KEY_LENGTH)) {
    optionIssue(`${at}.idempotencyKey`, `expected a string of 1..${MAX_KEY_LENGTH} characters`);
  }
  const dependsOn = dependsOnOf(o.dependsOn, at);
  const timeout = timeoutOf(o.timeout);
  const name = o.name === undefined ? null : checkTaskName(o.name, `${at}.name`);
  return {
    ...(dependsOn === undefined ? {} : { dependsOn }),
    ...(timeout === undefined ? {} : { timeout }),
    id: uuidv7(now),
    name,
    type,
    queue,
    priority,
    status: 'queued',
    input: input === undefined ? null : input,
    inputJson: json,
    maxAttempts,
    runAt: runAtOf(o, now, at),
    idempotencyKey: key ?? null,
    inputHash:
      key === undefined
        ? null
        : createHash('sha256').update(type).update('\0').update(json).digest('hex'),
  };
}

/** A task's name as kept: 1..MAX_TASK_NAME_LENGTH characters, not only blanks. */
export function checkTaskName(value: string, path: string): string {
  if (value.length === 0 || value.length > MAX_TASK_NAME_LENGTH || value.trim() === '') {
    optionIssue(path, `expected a name of 1..${MAX_TASK_NAME_LENGTH} characters, not only spaces`);
  }
  return value;
}

/** The submitted timeout as kept with the task: only the limits given; none at all when none
 * was (the type's apply). */
function timeoutOf(t: TaskTimeout | undefined): TaskTimeout | undefined {
  if (t === undefined) return undefined;
  const kept: TaskTimeout = {};
  if (t.softMs !== undefined) kept.softMs = t.softMs;
  if (t.hardMs !== undefined) kept.hardMs = t.hardMs;
  return kept.softMs === undefined && kept.hardMs === undefined ? undefined : kept;
}

/** The task as just inserted, without reading it back. */
export function taskFromNew(t: NewTask, now: number): Task {
  return {
    id: t.id,
    name: t.name ?? null,
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
    timeout: t.timeout ?? null,
    schedule: null,
    pipeline:
      t.pipeline === undefined
        ? null
        : { runId: t.pipeline.runId, step: t.pipeline.step, item: t.pipeline.item },
  };
}

export interface NewTask {
  id: string;
  /** A person's name for it; absent or null: none. */
  name?: string | null;
  type: string;
  queue: string;
  /** 0..3, lower first. */
  priority: number;
  status: 'queued' | 'pending' | 'paused';
  /** JSON-serialisable, already validated. */
  input: unknown;
  /** `input` as JSON text, where the caller has it already (buildNewTask: it measured the
   * size); a store serialises `input` itself otherwise. */
  inputJson?: string;
  maxAttempts: number;
  runAt: number;
  idempotencyKey: string | null;
  /** Fingerprint of type and input: a replay of a key matches it, a conflicting reuse does not. */
  inputHash: string | null;
  /** Tasks (stored, or earlier in the same batch) that must complete before this one is
   * queued; it waits in `pending` meanwhile (see src/core/follow-ups.ts). */
  dependsOn?: string[];
  /** The limits given at submit, each in place of the type's; absent: the type's apply. */
  timeout?: TaskTimeout;
  /** A pipeline step's task: its run, step and item (src/store/pipeline-contract.ts). */
  pipeline?: NewStepFields;
}

/** Where a pipeline step's new task belongs, and how it waits. */
export interface NewStepFields {
  runId: string;
  step: string;
  /** The item's position in its map step's list; null for a step's own task. */
  item: number | null;
  /** The step's place in the run's topological order. */
  order: number;
  /** Once its dependencies complete it still waits (pending) for a free place in its run
   * (sequential) or its map step (the step's concurrency). */
  held: boolean;
}

/** How one task is submitted: the options of `submit`, of an HTTP submit body, and of the tasks
 * a schedule or a pipeline submits. */
