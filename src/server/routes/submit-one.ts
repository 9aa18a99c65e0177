import { ValidationError } from '../../core/errors.ts';
import type { Task } from '../../core/task.ts';
import type { Taskmill } from '../../mill/types.ts';

type SubmitItem = Parameters<Taskmill['submitDetailed']>[0][number];

/** The library names an item's bad fields `items[3].input.width` and `items[3].options.queue`;
 * a body has its options beside `input`, and the batch body calls its items `tasks`. */
const ITEM_PATH = /items\[(\d+)\]\.(?:options\.)?/g;

/**
 * A submit's validation error with its fields named as the HTTP body names them: `input.width`
 * and `queue` for a single body, `tasks.3.input.width` for an item of a batch.
 */
function asBodyError(error: ValidationError, batch: boolean): ValidationError {
  const rename = (text: string): string =>
    text.replace(ITEM_PATH, (_all, i: string) => (batch ? `tasks.${i}.` : ''));
  const { issues: _libraryPaths, ...details } = error.details;
  const issues = error.issues.map((issue) => ({ ...issue, path: rename(issue.path) || 'body' }));
  return new ValidationError(error.code, rename(error.message), issues, details);
}

/** `mill.submitDetailed` for an HTTP body: its validation errors name the body's fields. */
export async function submitBodies(
  mill: Taskmill,
  items: SubmitItem[],
  batch: boolean,
): ReturnType<Taskmill['submitDetailed']> {
  try {
    return await mill.submitDetailed(items);
  } catch (error) {
    throw error instanceof ValidationError ? asBodyError(error, batch) : error;
  }
}

/** One task through the batch call, which says whether it was created (201) or found by its
 * idempotency key (200). */
export async function submitOne(
  mill: Taskmill,
  item: SubmitItem,
): Promise<{ task: Task; created: boolean }> {
  const { tasks, created } = await submitBodies(mill, [item], false);
  return { task: tasks[0] as Task, created: created[0] === true };
}
