/**
 * Checking a schedule definition when it is saved, and building the task each of its ticks
 * submits. Everything a tick needs is checked here, before anything is stored: the options (run
 * time, unknown keys named), the name, the expression and zone (croner), and the task type, input
 * and task options exactly as a submit checks them, so a saved schedule's ticks can always be
 * built.
 */
import { type AnyTaskDefinition, validateQueueName } from './define-task.ts';
import { type FieldIssue, TaskmillError, ValidationError } from './errors.ts';
import { buildNewTask, type NewTask } from './new-task.ts';
import { checkOptions, is, type OptionSpec, optionSpec, type valueRule } from './options-check.ts';
import {
  CATCH_UP_POLICIES,
  OVERLAP_POLICIES,
  type Schedule,
  type ScheduleDefinition,
} from './schedule.ts';
import { canonicalTimezone, cronIssues, DEFAULT_TIMEZONE } from './schedule-expression.ts';
import { TASK_OPTIONS_SPEC, type TaskOptions, TIMEOUT_SPEC } from './task-options.ts';

/** `catchUp: 'all'` backfills ticks this recent unless the schedule says otherwise: a day. */
export const DEFAULT_CATCH_UP_WINDOW_MS = 24 * 60 * 60 * 1000;
/** The longest window: a year of ticks is more than any backfill should be. */
export const MAX_CATCH_UP_WINDOW_MS = 366 * 24 * 60 * 60 * 1000;
export const MAX_DESCRIPTION_LENGTH = 1000;
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** A schedule as stored: the definition with every default filled in. `maxAttempts` null: the
 * task type's retry policy decides. */
export type ScheduleSpec = Pick<
  Schedule,
  | 'name'
  | 'cron'
  | 'timezone'
  | 'task'
  | 'input'
  | 'queue'
  | 'maxAttempts'
  | 'timeout'
  | 'enabled'
  | 'description'
  | 'overlap'
  | 'catchUp'
  | 'catchUpWindowMs'
> & {
  /** 0..3 as tasks store it. */
  priority: number;
};

const FIELDS = {
  cron: is.string,
  timezone: is.string,
  task: is.string,
  input: is.any,
  priority: TASK_OPTIONS_SPEC.rules.get('priority') as ReturnType<typeof valueRule>,
  queue: is.string,
  maxAttempts: TASK_OPTIONS_SPEC.rules.get('maxAttempts') as ReturnType<typeof valueRule>,
  timeout: TIMEOUT_SPEC,
  enabled: is.boolean,
  description: is.string,
  overlap: is.oneOf(...OVERLAP_POLICIES),
  catchUp: is.oneOf(...CATCH_UP_POLICIES),
  catchUpWindowMs: is.whole(1, MAX_CATCH_UP_WINDOW_MS, ' of milliseconds'),
} as const;

/** The keys a definition may have, and what each takes. */
export const SCHEDULE_DEFINITION_SPEC: OptionSpec = optionSpec<ScheduleDefinition>({
  name: is.string,
  ...FIELDS,
});

/** What `update` takes: every field but the name. */
export const SCHEDULE_CHANGES_SPEC: OptionSpec =
  optionSpec<Omit<ScheduleDefinition, 'name'>>(FIELDS);

/** `field "cron": 61 is out of range for the minute field.`, each field named once. */
export function describeIssues(issues: FieldIssue[]): string {
  return issues.map((i) => `field "${i.path}": ${i.message}.`).join(' ');
}

/** Issues as one SCHEDULE_INVALID refusal. */
export function scheduleInvalid(issues: FieldIssue[], name?: string): ValidationError {
  const of = name === undefined ? 'Schedule' : `Schedule "${name}"`;
  return new ValidationError(
    'SCHEDULE_INVALID',
    `${of}: ${describeIssues(issues)}`,
    issues,
    name === undefined ? {} : { name },
  );
}

function fieldIssues(d: ScheduleDefinition): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (typeof d.name !== 'string' || !NAME_RE.test(d.name)) {
    issues.push({
      path: 'name',
      message:
        'expected 1..128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit',
    });
  }
  if (d.task === undefined) issues.push({ path: 'task', message: 'is required: a task type' });
  if (d.cron === undefined) issues.push({ path: 'cron', message: 'is required' });
  else issues.push(...cronIssues(d.cron, d.timezone ?? DEFAULT_TIMEZONE));
  if (d.description !== undefined && d.description.length > MAX_DESCRIPTION_LENGTH) {
    issues.push({
      path: 'description',
      message: `longer than ${MAX_DESCRIPTION_LENGTH} characters`,
    });
  }
  return issues;
}

/** A submit's error with its paths as the definition names them (`options.queue` → `queue`). */
function asDefinitionError(error: unknown): unknown {
  if (!(error instanceof ValidationError)) return error;
  const issues = error.issues.map((i) => ({ ...i, path: i.path.replace(/^options\./, '') }));
  return new ValidationError(error.code, error.message, issues, error.details);
}

/** The task options a tick submits with, from the stored schedule. */
function taskOptions(s: Pick<ScheduleSpec, 'priority' | 'queue' | 'maxAttempts' | 'timeout'>) {
  const o: TaskOptions = { priority: s.priority as 0 | 1 | 2 | 3, queue: s.queue };
  if (s.maxAttempts !== null) o.maxAttempts = s.maxAttempts;
  if (s.timeout !== null) o.timeout = s.timeout;
  return o;
}

/**
 * Check a definition and fill in its defaults. Refuses with SCHEDULE_INVALID (options, name,
 * expression, zone), TASK_TYPE_UNKNOWN (`task`), TASK_INPUT_INVALID (`input`), or the code a
 * submit would give for a bad priority, queue, attempt count or timeout. `checkTask` false (an
 * update that keeps the task type and input): the task options are checked without the type, and
 * the type and input are not checked again, so a process without the type's definition can still
 * disable the schedule, and one whose input no longer fits a changed schema can still be changed.
 */
export function checkScheduleDefinition(
  definition: unknown,
  definitions: ReadonlyMap<string, AnyTaskDefinition>,
  now: number,
  checkTask = true,
): ScheduleSpec {
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    throw scheduleInvalid([{ path: '(root)', message: 'expected an object' }]);
  }
  checkOptions(SCHEDULE_DEFINITION_SPEC, definition, '', 'SCHEDULE_INVALID');
  const d = definition as ScheduleDefinition;
  const issues = fieldIssues(d);
  if (issues.length > 0)
    throw scheduleInvalid(issues, typeof d.name === 'string' ? d.name : undefined);
  const given: TaskOptions = {};
  if (d.priority !== undefined) given.priority = d.priority;
  if (d.queue !== undefined) given.queue = d.queue;
  if (d.maxAttempts !== undefined) given.maxAttempts = d.maxAttempts;
  if (d.timeout !== undefined) given.timeout = d.timeout;
  try {
    if (checkTask) {
      // Exactly the checks a tick's submit makes, so a saved schedule can always fire.
      // No input and null are one (a stored null): each tick submits undefined for either.
      buildNewTask(definitions, d.task, d.input ?? undefined, given, now);
    } else {
      checkOptions(TASK_OPTIONS_SPEC, given, 'options');
      if (given.queue !== undefined) validateQueueName(given.queue, 'options.queue');
    }
  } catch (error) {
    if (error instanceof TaskmillError && error.code === 'TASK_TYPE_UNKNOWN') {
      throw new ValidationError(
        error.code,
        error.message,
        [{ path: 'task', message: error.message }],
        error.details,
      );
    }
    throw asDefinitionError(error);
  }
  // Without the type check, `d` is a stored schedule merged with changes: its priority and queue
  // are set, and the type's defaults are not read.
  const typed = definitions.get(d.task) as AnyTaskDefinition;
  return {
    name: d.name,
    cron: d.cron.trim(),
    timezone: canonicalTimezone(d.timezone ?? DEFAULT_TIMEZONE) as string,
    task: d.task,
    input: d.input === undefined ? null : d.input,
    priority: d.priority === undefined ? typed.priority : priorityOf(d.priority),
    queue: d.queue ?? typed.queue,
    maxAttempts: d.maxAttempts ?? null,
    timeout: d.timeout === undefined ? null : { ...d.timeout },
    enabled: d.enabled ?? true,
    description: d.description ?? null,
    overlap: d.overlap ?? 'allow',
    catchUp: d.catchUp ?? 'none',
    catchUpWindowMs: d.catchUpWindowMs ?? DEFAULT_CATCH_UP_WINDOW_MS,
  };
}

function priorityOf(p: NonNullable<ScheduleDefinition['priority']>): number {
  return typeof p === 'number' ? p : ['critical', 'high', 'normal', 'low'].indexOf(p);
}

/** A stored schedule as the definition that makes it again (for `update`'s merge and `apply`'s
 * comparison). */
export function definitionOf(s: ScheduleSpec): ScheduleDefinition {
  const d: ScheduleDefinition = {
    name: s.name,
    cron: s.cron,
    timezone: s.timezone,
    task: s.task,
    input: s.input,
    priority: s.priority as 0 | 1 | 2 | 3,
    queue: s.queue,
    enabled: s.enabled,
    overlap: s.overlap,
    catchUp: s.catchUp,
    catchUpWindowMs: s.catchUpWindowMs,
  };
  if (s.maxAttempts !== null) d.maxAttempts = s.maxAttempts;
  if (s.timeout !== null) d.timeout = s.timeout;
  if (s.description !== null) d.description = s.description;
  return d;
}

/** Refuse `update` changes that name the schedule or an unknown field, before any read. */
export function checkScheduleChanges(changes: unknown): void {
  if (typeof changes === 'object' && changes !== null && 'name' in changes) {
    throw scheduleInvalid([{ path: 'name', message: 'cannot be changed: add a new schedule' }]);
  }
  checkOptions(SCHEDULE_CHANGES_SPEC, changes, '', 'SCHEDULE_INVALID');
}

/**
 * The task a tick submits: the schedule's type, input and options, to run at `scheduledAt` (so a
 * scheduler whose clock runs fast makes no task that starts early).
 */
export function buildScheduledTask(
  definitions: ReadonlyMap<string, AnyTaskDefinition>,
  s: ScheduleSpec,
  scheduledAt: number,
  now: number,
): NewTask {
  const options = { ...taskOptions(s), runAt: scheduledAt };
  return buildNewTask(definitions, s.task, s.input ?? undefined, options, now);
}
