import type { Command } from 'commander';
import { EXIT } from '../exit-codes.ts';
import { toJson } from '../format.ts';
import { type GlobalOptions, globalsOf, withSession, write } from '../open-mill.ts';
import { parseIntegerOption } from '../parse-options.ts';

interface RetryFlags {
  maxAttempts?: string;
  json?: boolean;
}

export async function retryCommand(
  id: string,
  flags: RetryFlags,
  globals: GlobalOptions,
): Promise<number> {
  const maxAttempts =
    flags.maxAttempts === undefined
      ? undefined
      : parseIntegerOption('--max-attempts', flags.maxAttempts, { min: 1, max: 1000 });
  return withSession(globals, { needsDefinitions: false }, async ({ mill }) => {
    const task = await mill.retry(id, maxAttempts === undefined ? {} : { maxAttempts });
    await write(
      flags.json
        ? toJson(task)
        : `requeued ${task.id} (${task.type}, ${task.status}, attempts ${task.maxAttempts})`,
    );
    return EXIT.ok;
  });
}

export function registerRetry(program: Command): void {
  program
    .command('retry')
    .description('Run a failed, timed-out or cancelled task again, as a new series of attempts')
    .argument('<id>', 'task id')
    .option('--max-attempts <n>', 'attempts for the new series (default: as before)')
    .option('--json', 'print the task as JSON')
    .action(async (id: string, flags: RetryFlags, command: Command) => {
      process.exitCode = await retryCommand(id, flags, globalsOf(command));
    });
}
