/** The command tree. Kept apart from `main.ts` so tests can build it without running it. */
import { Command } from 'commander';
import { VERSION } from '../core/version.ts';
import { registerCancel } from './commands/cancel.ts';
import { registerLogs } from './commands/logs.ts';
import { registerLs } from './commands/ls.ts';
import { registerRetry } from './commands/retry.ts';
import { registerServe } from './commands/serve.ts';
import { registerShow } from './commands/show.ts';
import { registerStats } from './commands/stats.ts';
import { registerSubmit } from './commands/submit.ts';
import { registerWorker } from './commands/worker.ts';
import { DEFAULT_TASKS_FILE } from './load-tasks.ts';
import { DATABASE_ENV, DEFAULT_DATABASE } from './open-mill.ts';

export function buildProgram(): Command {
  const program = new Command('taskmill');
  program
    .description('Typed task queue: run workers, submit and inspect tasks')
    .version(VERSION, '-V, --version')
    .option(
      '-d, --database <url>',
      `database URL (default: $${DATABASE_ENV}, else ${DEFAULT_DATABASE})`,
    )
    // No short flag: global options are also read after the command name, where `-t` is `--type`.
    .option(
      '--tasks <file>',
      `module exporting the task definitions (default: ${DEFAULT_TASKS_FILE})`,
    )
    // Errors are printed by main.ts in one format (`error CODE: message`), with our exit codes.
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  registerServe(program);
  registerWorker(program);
  registerSubmit(program);
  registerLs(program);
  registerShow(program);
  registerLogs(program);
  registerCancel(program);
  registerRetry(program);
  registerStats(program);
  return program;
}
