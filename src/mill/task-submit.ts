import type { AnyTaskDefinition } from '../core/define-task.ts';
import { TaskNotFoundError, ValidationError } from '../core/errors.ts';
import { buildNewTask, type NewTask, TASK_OPTIONS_SPEC, taskFromNew } from '../core/new-task.ts';
import { checkOptions, is, type OptionSpec, optionSpec } from '../core/options-check.ts';
import type { Task } from '../core/task.ts';
import { insertRefusal } from './insert-refusal.ts';
import type { MillContext } from './mill-context.ts';
import { SubmitGroup } from './submit-group.ts';
import type { SubmitItem, SubmitOptions } from './types.ts';

type Items = SubmitItem<readonly AnyTaskDefinition[]>[];

/** `submit`'s options: a task's, and the caller's transaction. */
const SUBMIT_OPTIONS_SPEC = TASK_OPTIONS_SPEC.with({ client: is.any });
/** An item's options: a task's; the transaction is the whole batch's. */
const ITEM_OPTIONS_SPEC = TASK_OPTIONS_SPEC.with(
  {},
  { client: 'the transaction is given for the whole batch: submitMany(items, { client })' },
);
const ITEM_SPEC: OptionSpec = optionSpec<SubmitItem<readonly AnyTaskDefinition[]>>({
  type: is.string,
  input: is.any,
  // Checked by buildNewTask, with the rest of the item.
  options: is.any,
});
const BATCH_OPTIONS_SPEC: OptionSpec = optionSpec<{ client?: unknown }>({ client: is.any });

/** Submitting tasks: one, many at once, and many saying which were new. */
export function taskSubmitApi(ctx: MillContext) {
  const group = new SubmitGroup(ctx.store, () => ctx.now());

  async function insert(
    rows: NewTask[],
    client: unknown,
  ): Promise<{ tasks: Task[]; created: boolean[] }> {
    ctx.assertOpen();
    if (client !== undefined && !ctx.store.capabilities.callerTransactions) {
      throw new ValidationError(
        'OPTIONS_INVALID',
        'Option "client" (submit inside your own transaction) needs a PostgreSQL database.',
        [{ path: 'client', message: 'not supported by this database' }],
      );
    }
    const { now, result } = await group.insertRows(rows, client);
    if (!result.ok) throw insertRefusal(result);
    const tasks: Task[] = [];
    let wake = false;
    for (let i = 0; i < rows.length; i++) {
      const stored = rows[i] as NewTask;
      const row = result.pending?.[i] ? { ...stored, status: 'pending' as const } : stored;
      if (result.created[i]) {
        tasks.push(taskFromNew(row, now));
        if (row.runAt <= now) wake = true;
        ctx.emitStatus(row, null, row.status, 'submitted');
      } else {
        // Read where it was found: an earlier submit in the caller's own open transaction is
        // visible only there.
        const id = result.ids[i] as string;
        const existing = await ctx.store.taskGet({ id, transaction: client });
        if (!existing) throw new TaskNotFoundError(id);
        tasks.push(existing);
      }
    }
    if (wake) ctx.wakeWorkers();
    return { tasks, created: result.created };
  }

  async function submitDetailed(
    items: Items,
    options: { client?: unknown } = {},
  ): Promise<{ tasks: Task[]; created: boolean[] }> {
    if (!Array.isArray(items)) {
      throw new ValidationError(
        'OPTIONS_INVALID',
        'submitMany takes an array of { type, input, options }.',
        [{ path: 'items', message: 'expected an array' }],
      );
    }
    checkOptions(BATCH_OPTIONS_SPEC, options, 'options');
    const now = ctx.now();
    const rows = items.map((item, i) => {
      checkOptions(ITEM_SPEC, item ?? null, `items[${i}]`);
      const { type, input, options: o } = item;
      return buildNewTask(
        ctx.deps.definitions,
        type,
        input,
        o,
        now,
        `items[${i}].`,
        ITEM_OPTIONS_SPEC,
      );
    });
    return rows.length === 0 ? { tasks: [], created: [] } : insert(rows, options.client);
  }

  return {
    async submit(type: string, input: unknown, options?: SubmitOptions): Promise<Task> {
      const row = buildNewTask(
        ctx.deps.definitions,
        type,
        input,
        options,
        ctx.now(),
        '',
        SUBMIT_OPTIONS_SPEC,
      );
      const { tasks } = await insert([row], options?.client);
      return tasks[0] as Task;
    },
    async submitMany(items: Items, options: { client?: unknown } = {}): Promise<Task[]> {
      return (await submitDetailed(items, options)).tasks;
    },
    submitDetailed,
  };
}
