import type { Command } from 'commander';
import { EXIT } from '../exit-codes.ts';
import { toJson } from '../format.ts';
import { type GlobalOptions, globalsOf, withSession, write } from '../open-mill.ts';

interface CancelFlags {
  reason?: string;
  json?: boolean;
}

export async function cancelCommand(
  id: string,
  flags: CancelFlags,
  globals: GlobalOptions,
): Promise<number> {
  return withSession(globals, { needsDefinitions: false }, async ({ mill }) => {
    const task = await mill.cancel(id, flags.reason ?? 'cancelled from the CLI');
    if (flags.json) {
      await write(toJson(task));
    } else if (task.status === 'cancelled') {
      await write(`cancelled ${task.id} (${task.type})`);
    } else {
      // A running task stops when its handler sees the abort; the worker records the end.
      await write(`cancel requested for ${task.id} (${task.type}, ${task.status})`);
    }
    return EXIT.ok;
  });
}

export function registerCancel(program: Command): void {
  program
    .command('cancel')
    .description('Cancel a task that has not finished (a running one is aborted)')
    .argument('<id>', 'task id')
    .option('--reason <text>', 'recorded in the status history')
    .option('--json', 'print the task as JSON')
    .action(async (id: string, flags: CancelFlags, command: Command) => {
      process.exitCode = await cancelCommand(id, flags, globalsOf(command));
    });
}
