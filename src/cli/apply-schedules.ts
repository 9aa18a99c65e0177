/**
 * `serve`, `worker` and `scheduler` apply the schedules file at start: the stored schedules are
 * made to match it (created, updated, and those it no longer lists disabled, never deleted), all
 * or nothing, and what changed is printed. No file, no apply: a process started without one
 * leaves the stored schedules as they are.
 */
import type { AnyTaskDefinition } from '../core/define-task.ts';
import { TaskmillError, ValidationError } from '../core/errors.ts';
import type { ScheduleApplyResult, ScheduleOperations } from '../core/schedule.ts';
import { checkScheduleDefinition } from '../core/schedule-definition.ts';
import { applyLine } from './schedule-format.ts';
import { fileField, type SchedulesFile } from './schedules-file.ts';

/** Refusals of `apply` that are about what an entry says: reported as the file's. */
const ENTRY_CODES = new Set([
  'SCHEDULE_INVALID',
  'SCHEDULE_EXISTS',
  'TASK_TYPE_UNKNOWN',
  'TASK_INPUT_INVALID',
  'TASK_INPUT_TOO_LARGE',
  'PRIORITY_INVALID',
  'QUEUE_NAME_INVALID',
  'OPTIONS_INVALID',
]);

/** The entry an error of `apply` is about, from the name it carries or its issue's path. */
function entryOf(error: TaskmillError, loaded: SchedulesFile): string | undefined {
  const names = loaded.definitions.map((d) => d.name);
  const named = [error.details['name'], error.details['schedule']].find(
    (n): n is string => typeof n === 'string' && names.includes(n),
  );
  if (named) return named;
  // An unknown task type names the type: the first entry that asks for it.
  const type = error.code === 'TASK_TYPE_UNKNOWN' ? error.details['type'] : undefined;
  const asking = loaded.definitions.find((d) => d.task === type);
  if (asking) return asking.name;
  const issue = error instanceof ValidationError ? error.issues[0]?.path : undefined;
  const index = /^\[?(\d+)\]?/.exec(issue ?? '')?.[1];
  return index === undefined ? undefined : names[Number(index)];
}

/**
 * Each entry checked as `apply` will check it (expression, zone, task type, input), with the
 * field named as the file names it: `cron_jobs.system_cleanup.cron_expression`.
 */
export function checkSchedulesFile(
  loaded: SchedulesFile,
  definitions: ReadonlyMap<string, AnyTaskDefinition>,
  now = Date.now(),
): void {
  for (const [i, definition] of loaded.definitions.entries()) {
    try {
      checkScheduleDefinition(definition, definitions, now);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const where = loaded.entries[i] as string;
      const issues = error.issues.map((issue) => ({
        path: `${where}.${fileField(loaded, issue.path)}`,
        message: issue.message,
      }));
      const said = issues.map((issue) => `"${issue.path}" ${issue.message}`).join('; ');
      throw new ValidationError(
        'SCHEDULE_FILE_INVALID',
        `${loaded.file}: ${said}. Nothing from the file was applied.`,
        issues,
        { file: loaded.file, entry: where, refusedWith: error.code },
      );
    }
  }
}

/**
 * Apply `loaded` (checked first against `definitions` when this process has them); a refused
 * entry becomes SCHEDULE_FILE_INVALID naming the file and the entry.
 */
export async function applySchedules(
  schedules: Pick<ScheduleOperations, 'apply'>,
  loaded: SchedulesFile,
  definitions?: ReadonlyMap<string, AnyTaskDefinition>,
): Promise<ScheduleApplyResult> {
  if (definitions) checkSchedulesFile(loaded, definitions);
  try {
    return await schedules.apply(loaded.definitions);
  } catch (error) {
    if (!(error instanceof TaskmillError) || !ENTRY_CODES.has(error.code)) throw error;
    const entry = entryOf(error, loaded);
    // Named once: apply's own message may already say which schedule.
    const said = entry === undefined || error.message.includes(`"${entry}"`);
    const where = said ? '' : ` schedule "${entry}":`;
    const message = `${loaded.file}:${where} ${error.message} Nothing from the file was applied.`;
    const details = { ...error.details, file: loaded.file, entry, refusedWith: error.code };
    if (error instanceof ValidationError) {
      throw new ValidationError('SCHEDULE_FILE_INVALID', message, error.issues, details);
    }
    throw new TaskmillError('SCHEDULE_FILE_INVALID', message, { details, cause: error });
  }
}

/** `schedules from FILE: 2 created (a, b), 1 updated (c), 0 unchanged, 0 disabled`. */
export function describeApply(file: string, result: ScheduleApplyResult): string {
  return `  schedules from ${file}: ${applyLine(result)}`;
}
