import type { Command } from 'commander';
import { redactUrl } from '../../core/redact-url.ts';
import { type GlobalOptions, globalsOf } from '../open-mill.ts';
import { printActivity, runUntilSignal, typeLabel, type WorkerFlags } from '../run-worker.ts';
import { addSettingFlags, openWithSettings } from '../settings/open-with-settings.ts';
import { describeSettings } from '../settings/resolve.ts';

export async function workerCommand(flags: WorkerFlags, globals: GlobalOptions): Promise<number> {
  const session = await openWithSettings('worker', flags, globals, { needsDefinitions: true });
  const { mill, tasks, database, workerOptions: options } = session;
  const activity = flags.quiet ? null : printActivity(mill, true);
  return runUntilSignal(mill, options, async (worker) => {
    const types = tasks.definitions.map(typeLabel).join(', ');
    const queues = options.queues?.join(', ') ?? 'all';
    process.stdout.write(
      `worker ${worker.id} started on ${redactUrl(database)}\n  types: ${types}\n  queues: ${queues}\n${describeSettings(session.resolved)}\n  stop with Ctrl-C (SIGINT) or SIGTERM\n`,
    );
    activity?.release();
    return undefined;
  });
}

/** The settings of `serve` or `worker` (docs/reference/configuration.md), and `--quiet`. */
export function addWorkerOptions(command: Command, name: 'serve' | 'worker'): Command {
  return addSettingFlags(command, name).option(
    '--quiet',
    'do not print a line per task status change',
  );
}

export function registerWorker(program: Command): void {
  addWorkerOptions(
    program.command('worker').description('Run the tasks of the tasks module until stopped'),
    'worker',
  ).action(async (flags: WorkerFlags, command: Command) => {
    process.exitCode = await workerCommand(flags, globalsOf(command));
  });
}
