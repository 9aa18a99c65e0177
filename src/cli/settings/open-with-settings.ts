import type { Command } from 'commander';
import type { WorkerOptions } from '../../worker/types.ts';
import { applySchedules, describeApply } from '../apply-schedules.ts';
import { type GlobalOptions, type OpenOptions, openSession, type Session } from '../open-mill.ts';
import type { WorkerFlags } from '../run-worker.ts';
import { findSchedulesFile, readSchedulesFile } from '../schedules-file.ts';
import { loadConfigFile } from './config-file.ts';
import { type ResolvedSettings, resolveSettings } from './resolve.ts';
import { SETTINGS, type SettingsCommand } from './spec.ts';

/** The flags of every setting the command takes, from the one table (`-c` kept for concurrency). */
export function addSettingFlags(command: Command, name: SettingsCommand): Command {
  command.option(
    '--config <file>',
    'settings file (JSON; default ./taskmill.config.json if present)',
  );
  for (const spec of SETTINGS) {
    if (!spec.on.includes(name)) continue;
    const short = spec.flag.name === '--concurrency' ? '-c, ' : '';
    const flag = `${short}${spec.flag.name} ${spec.flag.arg}`;
    const help = `${spec.help} [${spec.env}]`;
    if (spec.repeatable) {
      command.option(flag, help, (value: string, previous?: string) =>
        previous === undefined ? value : `${previous},${value}`,
      );
    } else command.option(flag, help);
  }
  return command;
}

export interface SettledSession extends Session {
  resolved: ResolvedSettings;
  /** What applying the schedules file did, as a line to print; null without a file. */
  schedulesApplied: string | null;
  /** What the worker starts with; the CLI owns the signals. */
  workerOptions: WorkerOptions;
}

/**
 * Settings resolved and checked (flag, environment, config file, default), then the database
 * opened with them: a wrong setting stops the command before anything is opened.
 */
export async function openWithSettings(
  name: SettingsCommand,
  flags: WorkerFlags,
  globals: GlobalOptions,
  options: OpenOptions,
): Promise<SettledSession> {
  const config = loadConfigFile(flags.config, process.env, process.cwd());
  const resolved = resolveSettings({ command: name, flags, globals, env: process.env, config });
  const { database, tasks, retention } = resolved.settings;
  // Read before the database is opened, so a bad file stops the command before anything runs.
  const file = findSchedulesFile(resolved.settings.schedules, process.cwd());
  const loaded = file === null ? null : readSchedulesFile(file);
  const session = await openSession({ ...globals, database, tasks }, { ...options, retention });
  let schedulesApplied: string | null = null;
  try {
    if (loaded)
      schedulesApplied = describeApply(
        loaded.file,
        await applySchedules(session.mill.schedules, loaded, session.mill.definitions),
      );
  } catch (error) {
    await session.mill.close();
    throw error;
  }
  return {
    ...session,
    resolved,
    schedulesApplied,
    workerOptions: { ...resolved.settings.worker, handleSignals: false },
  };
}
