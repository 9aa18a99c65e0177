/** The command tree. Kept apart from `main.ts` so tests can build it without running it. */
import { Command } from 'commander';
import { VERSION } from '../core/version.ts';
import { registerCancel } from './commands/cancel.ts';
import { registerLogs } from './commands/logs.ts';
import { registerLs } from './commands/ls.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerPipelines } from './commands/pipelines.ts';
import { registerPurge } from './commands/purge.ts';
import { registerQueue } from './commands/queue.ts';
import { registerRetry } from './commands/retry.ts';
import { registerScheduler } from './commands/scheduler.ts';
import { registerSchedules } from './commands/schedules.ts';
import { registerServe } from './commands/serve.ts';
import { registerShow } from './commands/show.ts';
import { registerStats } from './commands/stats.ts';
import { registerSubmit } from './commands/submit.ts';
import { registerTaskAdmin } from './commands/task-admin.ts';
import { registerTaskEdit } from './commands/task-edit.ts';
import { registerWorker } from './commands/worker.ts';
import { registerWorkers } from './commands/workers.ts';
import { DEFAULT_TASKS_FILE } from './load-tasks.ts';
import { DATABASE_ENV, DEFAULT_DATABASE, SERVER_ENV, TOKEN_ENV } from './open-mill.ts';

const HELP_FOOTER = `
Environment:
  ${DATABASE_ENV}  database URL when --database is not given
  ${SERVER_ENV}    server URL when neither --server nor --database is given
  ${TOKEN_ENV}     access token sent to the server (--server)
  TASKMILL_DEBUG=1   print the stack trace with an error

Exit codes:
  0 ok                         5 database problem
  1 unexpected error           6 instance closed, server unreachable
  2 bad input or usage         10/11/12 submit --wait: task failed / timed out / cancelled
                               (pipelines run --wait: 10 failed, 12 cancelled)
  3 task not found             130 interrupted while waiting
  4 conflict (illegal change)

Errors print one line on stderr: "error CODE: message". Full reference: docs/reference/cli.md`;

export function buildProgram(): Command {
  const program = new Command('taskmill');
  program
    .description('Typed task queue: run workers, submit and inspect tasks')
    .version(VERSION, '-V, --version')
    .option(
      '-d, --database <url>',
      `database URL (default: $${DATABASE_ENV}, else ${DEFAULT_DATABASE})`,
    )
    .option(
      '--server <url>',
      `go through a taskmill server's HTTP API instead of the database (default: $${SERVER_ENV})`,
    )
    // No short flag: global options are also read after the command name, where `-t` is `--type`.
    .option(
      '--tasks <file>',
      `module exporting the task definitions (default: ${DEFAULT_TASKS_FILE})`,
    )
    // Errors are printed by main.ts in one format (`error CODE: message`), with our exit codes.
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  program.addHelpText('after', HELP_FOOTER);
  registerServe(program);
  registerWorker(program);
  registerScheduler(program);
  registerSubmit(program);
  registerLs(program);
  registerShow(program);
  registerLogs(program);
  registerCancel(program);
  registerRetry(program);
  registerTaskAdmin(program);
  registerTaskEdit(program);
  registerStats(program);
  registerWorkers(program);
  registerQueue(program);
  registerSchedules(program);
  registerPipelines(program);
  registerMigrate(program);
  registerPurge(program);
  return program;
}
