/** An update of a waiting task, checked as a submit is (before the store is touched) and turned
 * into what the store writes. */
import { type AnyTaskDefinition, validateQueueName } from '../core/define-task.ts';
import { UnknownTaskTypeError, ValidationError } from '../core/errors.ts';
import { checkedInputJson, checkTaskName } from '../core/new-task.ts';
import { checkOptions } from '../core/options-check.ts';
import { priorityLevel } from '../core/priority.ts';
import { TASK_UPDATE_SPEC, type TaskUpdate } from '../core/task-options.ts';
import type { TaskChanges } from '../store/contract.ts';

const FIELDS = Object.keys({
  input: 0,
  priority: 0,
  runAt: 0,
  queue: 0,
  name: 0,
} satisfies Record<keyof TaskUpdate, 0>);

/** The store's changes for `changes` to a task of `type`; refused unless at least one field is
 * given and each is valid (the input against the type's schema). */
export function taskChangesOf(
  definitions: ReadonlyMap<string, AnyTaskDefinition>,
  type: string,
  changes: TaskUpdate,
): TaskChanges {
  checkOptions(TASK_UPDATE_SPEC, changes, 'changes');
  const c = changes ?? {};
  if (!FIELDS.some((f) => (c as Record<string, unknown>)[f] !== undefined)) {
    throw new ValidationError(
      'OPTIONS_INVALID',
      `An update changes at least one of: ${FIELDS.join(', ')}.`,
      [{ path: 'changes', message: `give at least one of ${FIELDS.join(', ')}` }],
    );
  }
  const out: TaskChanges = {};
  if (c.input !== undefined) {
    const def = definitions.get(type);
    if (!def) throw new UnknownTaskTypeError(type, [...definitions.keys()]);
    out.inputJson = checkedInputJson(def, c.input);
  }
  if (c.priority !== undefined) out.priority = priorityLevel(c.priority);
  if (c.runAt !== undefined) out.runAt = Math.max(+c.runAt, 0);
  if (c.queue !== undefined) {
    validateQueueName(c.queue, 'changes.queue');
    out.queue = c.queue;
  }
  if (c.name !== undefined)
    out.name = c.name === null ? null : checkTaskName(c.name, 'changes.name');
  return out;
}
