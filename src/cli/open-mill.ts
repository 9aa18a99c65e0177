/**
 * What every command shares: the global options, where the database is, and opening a Taskmill
 * instance over it (closed again however the command ends).
 */
import type { Command } from 'commander';
import { createTaskmill } from '../mill/create-taskmill.ts';
import type { Taskmill } from '../mill/types.ts';
import { type LoadedTasks, loadTasks } from './load-tasks.ts';

export const DEFAULT_DATABASE = 'sqlite:./taskmill.db';
export const DATABASE_ENV = 'TASKMILL_DATABASE';

export interface GlobalOptions {
  database?: string;
  tasks?: string;
}

export function globalsOf(command: Command): GlobalOptions {
  const all = command.optsWithGlobals<GlobalOptions>();
  return { database: all.database, tasks: all.tasks };
}

export function databaseUrl(globals: GlobalOptions, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[DATABASE_ENV];
  return globals.database ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_DATABASE);
}

export interface Session {
  mill: Taskmill;
  tasks: LoadedTasks;
  database: string;
}

export interface OpenOptions {
  /** Commands that run or submit tasks need their definitions; read-only ones can do without. */
  needsDefinitions: boolean;
  /** Used when `--tasks` is absent and the default file is missing (`serve --demo`). */
  fallbackTasksFile?: string;
}

export async function openSession(globals: GlobalOptions, options: OpenOptions): Promise<Session> {
  // The tasks module loads first: a broken one is reported before the database is touched.
  const tasks = await loadTasks({
    file: globals.tasks,
    cwd: process.cwd(),
    optional: !options.needsDefinitions,
    fallback: options.fallbackTasksFile,
  });
  const database = databaseUrl(globals);
  const mill = await createTaskmill({ database, tasks: tasks.definitions });
  return { mill, tasks, database };
}

export async function withSession<T>(
  globals: GlobalOptions,
  options: OpenOptions,
  fn: (session: Session) => Promise<T>,
): Promise<T> {
  const session = await openSession(globals, options);
  try {
    return await fn(session);
  } finally {
    await session.mill.close();
  }
}

/** Write to stdout; resolves once the data is handed to the OS, so an exit after it loses nothing. */
export function write(text: string): Promise<void> {
  return new Promise((resolve) => {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`, () => resolve());
  });
}
