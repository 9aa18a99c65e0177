import type { Command } from 'commander';
import { EXIT } from '../exit-codes.ts';
import { toJson } from '../format.ts';
import { type GlobalOptions, globalsOf, withSession, write } from '../open-mill.ts';
import { parsePriorityOption } from '../parse-options.ts';

interface JsonFlag {
  json?: boolean;
}

export async function priorityCommand(
  id: string,
  priority: string,
  flags: JsonFlag,
  globals: GlobalOptions,
): Promise<number> {
  const level = parsePriorityOption(priority);
  return withSession(globals, { needsDefinitions: false }, async ({ mill }) => {
    const task = await mill.setPriority(id, level);
    await write(
      flags.json ? toJson(task) : `${task.id} (${task.type}) now has priority ${task.priority}`,
    );
    return EXIT.ok;
  });
}

export async function deleteCommand(
  id: string,
  flags: JsonFlag,
  globals: GlobalOptions,
): Promise<number> {
  return withSession(globals, { needsDefinitions: false }, async ({ mill }) => {
    await mill.delete(id);
    await write(flags.json ? toJson({ id, deleted: true }) : `deleted ${id}`);
    return EXIT.ok;
  });
}

export function registerTaskAdmin(program: Command): void {
  program
    .command('priority')
    .description('Change the priority of a task that waits (queued, retrying, pending, paused)')
    .argument('<id>', 'task id')
    .argument('<priority>', 'critical, high, normal, low or 0..3')
    .option('--json', 'print the task as JSON')
    .action(async (id: string, priority: string, flags: JsonFlag, command: Command) => {
      process.exitCode = await priorityCommand(id, priority, flags, globalsOf(command));
    });
  program
    .command('delete')
    .description('Delete a finished task with its history, attempts, logs and artifacts')
    .argument('<id>', 'task id')
    .option('--json', 'print { id, deleted } as JSON')
    .action(async (id: string, flags: JsonFlag, command: Command) => {
      process.exitCode = await deleteCommand(id, flags, globalsOf(command));
    });
}
