/**
 * `taskmill scheduler`: a process that only schedules (seed 003's `--scheduler` mode). It applies
 * the schedules file, fires the due ticks of every enabled schedule until stopped, and runs no
 * task: workers elsewhere (`worker`, `serve`) run what it submits. Any number may run at once;
 * each tick still makes one task.
 */
import type { Command } from 'commander';
import { redactUrl } from '../../core/redact-url.ts';
import { EXIT } from '../exit-codes.ts';
import { type GlobalOptions, globalsOf } from '../open-mill.ts';
import { nextSignal, printScheduleActivity, type WorkerFlags } from '../run-worker.ts';
import { addSettingFlags, openWithSettings } from '../settings/open-with-settings.ts';
import { describeSettings } from '../settings/resolve.ts';

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

export async function schedulerCommand(
  flags: WorkerFlags,
  globals: GlobalOptions,
): Promise<number> {
  const stopped = nextSignal();
  const session = await openWithSettings('scheduler', flags, globals, {
    needsDefinitions: true,
    scheduler: { enabled: true },
  });
  const { mill, database } = session;
  const off = flags.quiet ? () => undefined : printScheduleActivity(mill, say);
  try {
    mill.startScheduler();
    const schedules = await mill.schedules.list();
    const enabled = schedules.filter((s) => s.enabled).length;
    const lines = [
      `taskmill scheduler on ${redactUrl(database)}: ${schedules.length} schedules, ${enabled} enabled`,
      describeSettings(session.resolved),
      ...(session.schedulesApplied ? [session.schedulesApplied] : []),
      '  runs no tasks: a worker (taskmill worker, serve) runs what it submits',
      '  stop with Ctrl-C (SIGINT) or SIGTERM',
    ];
    say(lines.join('\n'));
  } catch (error) {
    off();
    await mill.close();
    throw error;
  }
  const signal = await stopped;
  say(`\n${signal}: stopping the scheduler…`);
  off();
  await mill.close();
  say('stopped');
  return EXIT.ok;
}

export function registerScheduler(program: Command): void {
  addSettingFlags(
    program
      .command('scheduler')
      .description('Run only the scheduler: submit the tasks of due schedule ticks, run none'),
    'scheduler',
  )
    .option('--quiet', 'do not print a line per tick')
    .action(async (flags: WorkerFlags, command: Command) => {
      process.exitCode = await schedulerCommand(flags, globalsOf(command));
    });
}
