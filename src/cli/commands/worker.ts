import type { Command } from 'commander';
import { redactUrl } from '../../store/postgres/url.ts';
import { type GlobalOptions, globalsOf, openSession } from '../open-mill.ts';
import {
  parseWorkerFlags,
  printActivity,
  runUntilSignal,
  typeLabel,
  type WorkerFlags,
} from '../run-worker.ts';

export async function workerCommand(flags: WorkerFlags, globals: GlobalOptions): Promise<number> {
  const options = parseWorkerFlags(flags);
  const { mill, tasks, database } = await openSession(globals, { needsDefinitions: true });
  const activity = flags.quiet ? null : printActivity(mill, true);
  return runUntilSignal(mill, options, async (worker) => {
    const types = tasks.definitions.map(typeLabel).join(', ');
    const queues = options.queues?.join(', ') ?? 'all';
    process.stdout.write(
      `worker ${worker.id} started on ${redactUrl(database)}\n  types: ${types}\n  queues: ${queues}\n  stop with Ctrl-C (SIGINT) or SIGTERM\n`,
    );
    activity?.release();
    return undefined;
  });
}

export function addWorkerOptions(command: Command): Command {
  return command
    .option('-c, --concurrency <n>', 'tasks run at once (default 10)')
    .option('--prefetch <n>', 'tasks claimed ahead of a free slot (default: the concurrency)')
    .option('--queues <queues>', 'only these queues (comma-separated; default all)')
    .option('--grace <ms>', 'on stop, how long running tasks get to finish (default 10000)')
    .option('--threads <n>', 'threads for tasks with executor "thread" (default: the cores)')
    .option('--processes <n>', 'processes for tasks with executor "process" (default: the cores)')
    .option('--quiet', 'do not print a line per task status change');
}

export function registerWorker(program: Command): void {
  addWorkerOptions(
    program.command('worker').description('Run the tasks of the tasks module until stopped'),
  ).action(async (flags: WorkerFlags, command: Command) => {
    process.exitCode = await workerCommand(flags, globalsOf(command));
  });
}
