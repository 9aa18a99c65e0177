/**
 * The schedules file (`taskmill.schedules.json` or `.yaml`): read, checked entry by entry, and
 * turned into the definitions `mill.schedules.apply` takes. Two shapes are read:
 *
 * - ours: `{ "schedules": [ScheduleDefinition…] }`, or the list alone;
 * - seed 003's: `{ "cron_jobs": { key: { name, cron_expression, enabled, description,
 *   max_retries, timeout } } }`, mapped as docs/schedules.md says (the key is the schedule's
 *   name and, unless `task` is given, its task type; `max_retries` + 1 attempts; `timeout` in
 *   seconds is the hard timeout; the seed's `name` leads the description).
 *
 * Every problem found here is SCHEDULE_FILE_INVALID naming the file, the entry and the field,
 * and is found before anything is applied; what only the database side can judge (the
 * expression, the zone, the task type, the input) is judged by `apply`, all or nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { TaskmillError, ValidationError } from '../core/errors.ts';
import { checkOptions, is, type OptionSpec } from '../core/options-check.ts';
import type { ScheduleDefinition } from '../core/schedule.ts';
import { SCHEDULE_DEFINITION_SPEC } from '../core/schedule-definition.ts';

/** Looked for in the working folder, in this order, when no file is named. */
export const DEFAULT_SCHEDULES_FILES = [
  'taskmill.schedules.json',
  'taskmill.schedules.yaml',
  'taskmill.schedules.yml',
] as const;

export interface SchedulesFile {
  file: string;
  /** Which shape the file has: ours (an object or a list) or seed 003's `cron_jobs`. */
  shape: 'schedules' | 'list' | 'cron_jobs';
  definitions: ScheduleDefinition[];
  /** Where each definition is in the file: `schedules[1]`, `cron_jobs.system_cleanup`. */
  entries: string[];
}

const CODE = 'SCHEDULE_FILE_INVALID';

function fileError(file: string, message: string, details: Record<string, unknown> = {}) {
  return new TaskmillError(CODE, `${file}: ${message}`, { details: { file, ...details } });
}

/** Seed 003's keys, and ours for what the seed has no word for (task, input, zone, policies). */
interface SeedJob extends Omit<ScheduleDefinition, 'name' | 'cron' | 'timeout' | 'task'> {
  name?: string;
  cron_expression: string;
  task?: string;
  max_retries?: number;
  /** Seconds. */
  timeout?: number;
}

const SEED_JOB_SPEC: OptionSpec = SCHEDULE_DEFINITION_SPEC.without(
  ['cron'],
  "seed 003's jobs name the expression cron_expression.",
).with({
  cron_expression: is.string,
  max_retries: is.whole(0, 999),
  timeout: is.positive(' of seconds'),
} satisfies Partial<Record<keyof SeedJob, unknown>>);

/** A definition's field as the file names it (seed 003's keys where it uses them). */
export function fileField(loaded: SchedulesFile, field: string): string {
  if (loaded.shape !== 'cron_jobs') return field;
  const seed: Record<string, string> = { cron: 'cron_expression', maxAttempts: 'max_retries' };
  const [head = '', ...rest] = field.split('.');
  // A seed timeout is seconds, of which the definition's timeout.hardMs is made.
  if (head === 'timeout') return 'timeout';
  return [seed[head] ?? head, ...rest].join('.');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** checkOptions' error, said as the file's: the same issues, our code, the file named. */
function checkEntry(file: string, spec: OptionSpec, value: unknown, where: string): void {
  if (!isObject(value)) {
    throw fileError(file, `${where} must be an object, one schedule.`, { entry: where });
  }
  try {
    checkOptions(spec, value, where, CODE);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(CODE, `${file}: ${error.message}`, error.issues, {
      file,
      entry: where,
    });
  }
}

function required(file: string, value: Record<string, unknown>, key: string, where: string) {
  if (value[key] === undefined) {
    const path = `${where}.${key}`;
    throw new ValidationError(
      CODE,
      `${file}: ${path} is required.`,
      [{ path, message: 'required' }],
      {
        file,
        entry: where,
      },
    );
  }
}

function fromOurs(file: string, list: unknown[], prefix: string): ScheduleDefinition[] {
  return list.map((entry, i) => {
    const where = `${prefix}[${i}]`;
    checkEntry(file, SCHEDULE_DEFINITION_SPEC, entry, where);
    const value = entry as Record<string, unknown>;
    for (const key of ['name', 'cron', 'task']) required(file, value, key, where);
    return value as unknown as ScheduleDefinition;
  });
}

/** Seed 003's job as a definition. */
function fromSeedJob(key: string, job: SeedJob): ScheduleDefinition {
  const {
    name: title,
    cron_expression: cron,
    max_retries: retries,
    timeout: seconds,
    task,
    description,
    ...rest
  } = job;
  const text = title && description ? `${title}: ${description}` : (description ?? title);
  return {
    // The seed's jobs take no parameters: their task gets `{}` unless the job gives an input.
    input: {},
    ...rest,
    name: key,
    cron,
    task: task ?? key,
    ...(text === undefined ? {} : { description: text }),
    ...(retries === undefined ? {} : { maxAttempts: retries + 1 }),
    ...(seconds === undefined ? {} : { timeout: { hardMs: Math.round(seconds * 1000) } }),
  };
}

function fromSeed(file: string, jobs: unknown): ScheduleDefinition[] {
  if (!isObject(jobs)) {
    throw fileError(file, '"cron_jobs" must be an object of jobs by name.', { entry: 'cron_jobs' });
  }
  return Object.entries(jobs).map(([key, job]) => {
    const where = `cron_jobs.${key}`;
    checkEntry(file, SEED_JOB_SPEC, job, where);
    required(file, job as Record<string, unknown>, 'cron_expression', where);
    const value = job as SeedJob;
    if (value.max_retries !== undefined && value.maxAttempts !== undefined) {
      throw fileError(file, `${where} gives both max_retries and maxAttempts; keep one.`, {
        entry: where,
        field: 'max_retries',
      });
    }
    return fromSeedJob(key, value);
  });
}

function refuseDuplicates(file: string, definitions: ScheduleDefinition[]): void {
  const seen = new Map<string, number>();
  for (const [i, definition] of definitions.entries()) {
    const first = seen.get(definition.name);
    if (first !== undefined) {
      throw fileError(
        file,
        `the schedule name "${definition.name}" is given twice (entries ${first + 1} and ${i + 1}); each name once.`,
        { entry: definition.name, field: 'name' },
      );
    }
    seen.set(definition.name, i);
  }
}

function parseText(file: string, text: string): unknown {
  const yaml = /\.ya?ml$/i.test(file);
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw fileError(file, `cannot be read as ${yaml ? 'YAML' : 'JSON'}: ${reason}`, { reason });
  }
}

/** The definitions a schedules file's text holds; `file` names it in errors and picks YAML. */
export function parseSchedulesFile(file: string, text: string): SchedulesFile {
  const parsed = parseText(file, text);
  let shape: SchedulesFile['shape'];
  let definitions: ScheduleDefinition[];
  if (Array.isArray(parsed)) {
    shape = 'list';
    definitions = fromOurs(file, parsed, 'schedules');
  } else if (isObject(parsed) && Object.keys(parsed).length === 1 && 'cron_jobs' in parsed) {
    shape = 'cron_jobs';
    definitions = fromSeed(file, parsed['cron_jobs']);
  } else if (isObject(parsed) && Object.keys(parsed).length === 1 && 'schedules' in parsed) {
    const list = parsed['schedules'];
    if (!Array.isArray(list)) {
      throw fileError(file, '"schedules" must be a list of schedules.', { entry: 'schedules' });
    }
    shape = 'schedules';
    definitions = fromOurs(file, list, 'schedules');
  } else {
    throw fileError(
      file,
      'expected { "schedules": [ … ] }, a list of schedules, or { "cron_jobs": { … } } (seed 003); see docs/schedules.md.',
      { keys: isObject(parsed) ? Object.keys(parsed) : null },
    );
  }
  refuseDuplicates(file, definitions);
  const entries = definitions.map((d, i) =>
    shape === 'cron_jobs' ? `cron_jobs.${d.name}` : `schedules[${i}]`,
  );
  return { file, shape, definitions, entries };
}

/**
 * The schedules file to apply: the one named (`--schedules`, TASKMILL_SCHEDULES, the config
 * file), else the first of DEFAULT_SCHEDULES_FILES in `cwd`; null when there is none, in which
 * case nothing is applied (and no stored schedule is disabled).
 */
export function findSchedulesFile(named: string | undefined, cwd: string): string | null {
  if (named !== undefined) return path.resolve(cwd, named);
  for (const name of DEFAULT_SCHEDULES_FILES) {
    const file = path.resolve(cwd, name);
    if (existsSync(file)) return file;
  }
  return null;
}

export function readSchedulesFile(file: string): SchedulesFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw fileError(file, `cannot be read (${reason}).`, { reason });
  }
  return parseSchedulesFile(file, text);
}
