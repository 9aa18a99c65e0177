import type { Command } from 'commander';
import { redactUrl } from '../../core/redact-url.ts';
import { type GlobalOptions, globalsOf } from '../open-mill.ts';
import { printActivity, runUntilSignal, typeLabel, type WorkerFlags } from '../run-worker.ts';
import { addSettingFlags, openWithSettings } from '../settings/open-with-settings.ts';
import { describeSettings } from '../settings/resolve.ts';

export async function workerCommand(flags: WorkerFlags, globals: GlobalOptions): Promise<number> {
  const session = await openWithSettings('worker', flags, globals, {
    needsDefinitions: true,
    scheduler: { enabled: flags.scheduler !== false },
  });
  const { mill, tasks, database, workerOptions: options } = session;
  const activity = flags.quiet ? null : printActivity(mill, true);
  return runUntilSignal(mill, options, async (worker) => {
    const types = tasks.definitions.map(typeLabel).join(', ');
    const queues = options.queues?.join(', ') ?? 'all';
    const lines = [
      `worker ${worker.id} started on ${redactUrl(database)}`,
      `  types: ${types}`,
      `  queues: ${queues}`,
      describeSettings(session.resolved),
      schedulerLine(flags, session.schedulesApplied),
      '  stop with Ctrl-C (SIGINT) or SIGTERM',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    activity?.release();
    return undefined;
  });
}

/** The settings of `serve` or `worker` (docs/reference/configuration.md), `--no-scheduler`
 * and `--quiet`. */
export function addWorkerOptions(command: Command, name: 'serve' | 'worker'): Command {
  return addSettingFlags(command, name)
    .option('--no-scheduler', 'do not run the scheduler in this process (it runs by default)')
    .option('--quiet', 'do not print a line per task status change');
}

/** Whether this process schedules, and what the schedules file changed. */
export function schedulerLine(flags: WorkerFlags, applied: string | null): string {
  const on =
    flags.scheduler === false
      ? '  scheduler: off (--no-scheduler)'
      : '  scheduler: on (fires the due ticks of every enabled schedule; --no-scheduler turns it off)';
  return applied === null ? on : `${on}\n${applied}`;
}

export function registerWorker(program: Command): void {
  addWorkerOptions(
    program.command('worker').description('Run the tasks of the tasks module until stopped'),
    'worker',
  ).action(async (flags: WorkerFlags, command: Command) => {
    process.exitCode = await workerCommand(flags, globalsOf(command));
  });
}
