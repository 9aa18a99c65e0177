/**
 * `taskmill update ID`, `taskmill pause ID` and `taskmill resume ID`: a waiting task's fields, and
 * an operator's hold of one task. Queues are paused with `taskmill queue pause NAME`, which these
 * leave as it is: a bare `pause` names a task.
 */
import type { Command } from 'commander';
import type { TaskUpdate } from '../../core/task-options.ts';
import { EXIT } from '../exit-codes.ts';
import { toJson } from '../format.ts';
import { inputText } from '../input-source.ts';
import { type GlobalOptions, globalsOf, withSession, write } from '../open-mill.ts';
import {
  cliInputError,
  parseJsonOption,
  parsePriorityOption,
  parseTimeOption,
} from '../parse-options.ts';
import type { TaskView } from '../task-access.ts';

interface UpdateFlags {
  priority?: string;
  runAt?: string;
  queue?: string;
  name?: string;
  input?: string;
  json?: boolean;
}

interface StatusFlags {
  reason?: string;
  json?: boolean;
}

/** Every flag is checked before the database is opened; at least one change is needed. */
export async function parseUpdateFlags(flags: UpdateFlags): Promise<TaskUpdate> {
  const changes: TaskUpdate = {};
  if (flags.input !== undefined) {
    changes.input = parseJsonOption('--input', await inputText(flags.input));
  }
  if (flags.priority !== undefined) changes.priority = parsePriorityOption(flags.priority);
  if (flags.runAt !== undefined) changes.runAt = parseTimeOption('--run-at', flags.runAt);
  if (flags.queue !== undefined) changes.queue = flags.queue;
  if (flags.name !== undefined) changes.name = flags.name;
  if (Object.keys(changes).length === 0) {
    throw cliInputError(
      'Nothing to update: give at least one of --input, --priority, --run-at, --queue, --name.',
      { option: '--priority' },
    );
  }
  return changes;
}

function line(task: TaskView, what: string): string {
  const name = task.name === null ? '' : ` "${task.name}"`;
  return `${task.id}${name} (${task.type}) ${what}: ${task.status}, priority ${task.priority}, queue ${task.queue}, run at ${task.runAt.toISOString()}`;
}

export async function updateCommand(
  id: string,
  flags: UpdateFlags,
  globals: GlobalOptions,
): Promise<number> {
  const changes = await parseUpdateFlags(flags);
  // The input is checked against the type's schema, so the definitions are needed for it.
  const needsDefinitions = changes.input !== undefined;
  return withSession(globals, { needsDefinitions }, async ({ mill }) => {
    const task = await mill.update(id, changes);
    await write(flags.json ? toJson(task) : line(task, 'updated'));
    return EXIT.ok;
  });
}

export async function statusCommand(
  id: string,
  to: 'paused' | 'queued',
  flags: StatusFlags,
  globals: GlobalOptions,
): Promise<number> {
  const options = flags.reason === undefined ? {} : { reason: flags.reason };
  return withSession(globals, { needsDefinitions: false }, async ({ mill }) => {
    const task = to === 'paused' ? await mill.pause(id, options) : await mill.resume(id, options);
    await write(flags.json ? toJson(task) : line(task, to === 'paused' ? 'paused' : 'resumed'));
    return EXIT.ok;
  });
}

export function registerTaskEdit(program: Command): void {
  program
    .command('update')
    .description("Change a waiting task's input, priority, run-at, queue or name")
    .argument('<id>', 'task id')
    .option('-i, --input <json>', "new input (checked against the type's schema): JSON, @file or -")
    .option('-p, --priority <priority>', 'critical, high, normal, low or 0..3')
    .option('--run-at <time>', 'do not start before this time (ISO 8601, or ms since 1970)')
    .option('-q, --queue <queue>', 'move it to this queue')
    .option('--name <name>', 'a name for people (1..200 characters)')
    .option('--json', 'print the task as JSON')
    .action(async (id: string, flags: UpdateFlags, command: Command) => {
      process.exitCode = await updateCommand(id, flags, globalsOf(command));
    });
  program
    .command('pause')
    .description(
      'Hold one queued or retrying task: no worker takes it until resumed (a queue: taskmill queue pause)',
    )
    .argument('<id>', 'task id')
    .option('--reason <text>', 'why, kept in its history')
    .option('--json', 'print the task as JSON')
    .action(async (id: string, flags: StatusFlags, command: Command) => {
      process.exitCode = await statusCommand(id, 'paused', flags, globalsOf(command));
    });
  program
    .command('resume')
    .description(
      'Let a paused task go: queued again, its run-at kept (a queue: taskmill queue resume)',
    )
    .argument('<id>', 'task id')
    .option('--reason <text>', 'why, kept in its history')
    .option('--json', 'print the task as JSON')
    .action(async (id: string, flags: StatusFlags, command: Command) => {
      process.exitCode = await statusCommand(id, 'queued', flags, globalsOf(command));
    });
}
