/**
 * What every command shares: the global options, where the tasks are (a database, or a server
 * with `--server`), and opening access to them, closed again however the command ends. The
 * choice between database and server is made here and nowhere else.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { TaskmillError } from '../core/errors.ts';
import { createTaskmill } from '../mill/create-taskmill.ts';
import type { Taskmill } from '../mill/types.ts';
import { sqliteFilePath } from '../store/open.ts';
import type { RetentionRules } from '../worker/retention.ts';
import { type LoadedTasks, loadTasks } from './load-tasks.ts';
import { localAccess, remoteAccess, type TaskAccess } from './task-access.ts';

export const DEFAULT_DATABASE = 'sqlite:./taskmill.db';
export const DATABASE_ENV = 'TASKMILL_DATABASE';
export const SERVER_ENV = 'TASKMILL_SERVER';
export const TOKEN_ENV = 'TASKMILL_TOKEN';

export interface GlobalOptions {
  database?: string;
  tasks?: string;
  server?: string;
  /** The command's name, for messages. */
  command?: string;
}

export function globalsOf(command: Command): GlobalOptions {
  const all = command.optsWithGlobals<GlobalOptions>();
  return { database: all.database, tasks: all.tasks, server: all.server, command: command.name() };
}

export function databaseUrl(globals: GlobalOptions, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[DATABASE_ENV];
  return globals.database ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_DATABASE);
}

/**
 * The server to go through: `--server`, else TASKMILL_SERVER unless `--database` was given (a
 * flag beats the environment); undefined means the database.
 */
export function serverUrl(
  globals: GlobalOptions,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (globals.server !== undefined) return globals.server;
  if (globals.database !== undefined) return undefined;
  const fromEnv = env[SERVER_ENV];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
}

function optionsError(message: string, details: Record<string, unknown>): TaskmillError {
  return new TaskmillError('OPTIONS_INVALID', message, { details });
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
  /** Refuse a SQLite file that does not exist rather than create it: commands that only read
   * or change tasks (a mistyped path would otherwise answer from a new, empty database). */
  mustExist?: boolean;
  /** Finished tasks to delete as they age (`serve`, `worker`). */
  retention?: RetentionRules;
  /** `--no-scheduler`: the worker does not start the scheduler with it. */
  scheduler?: { enabled: boolean };
}

/**
 * A Taskmill on the database, for the commands that run tasks or change the schema (`serve`,
 * `worker`, `migrate`). They refuse `--server`; TASKMILL_SERVER is left to the commands that
 * can use it, so a shell that sets it can still start a worker.
 */
export async function openSession(globals: GlobalOptions, options: OpenOptions): Promise<Session> {
  if (globals.server !== undefined) {
    const name = globals.command ?? 'this command';
    throw optionsError(
      `taskmill ${name} works on the database itself and cannot go through a server: drop --server ${globals.server} and give --database (or ${DATABASE_ENV}).`,
      { option: '--server', command: name },
    );
  }
  // The tasks module loads first: a broken one is reported before the database is touched.
  const tasks = await loadTasks({
    file: globals.tasks,
    cwd: process.cwd(),
    optional: !options.needsDefinitions,
    fallback: options.fallbackTasksFile,
  });
  const database = databaseUrl(globals);
  if (options.mustExist) assertDatabaseExists(database);
  const mill = await createTaskmill({
    database,
    tasks: tasks.definitions,
    pipelines: tasks.pipelines,
    ...(options.retention ? { retention: options.retention } : {}),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
  });
  return { mill, tasks, database };
}

/** As `openSession`, closed again when `fn` is done. */
export async function withMill<T>(
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

/** What the one-shot commands get: the database or the server, behind one interface. */
export interface AccessSession {
  mill: TaskAccess;
}

export async function openAccess(
  globals: GlobalOptions,
  options: OpenOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TaskAccess> {
  const url = serverUrl(globals, env);
  if (url === undefined) {
    const mustExist = options.mustExist ?? !options.needsDefinitions;
    return localAccess((await openSession(globals, { ...options, mustExist })).mill);
  }
  if (globals.database !== undefined) {
    throw optionsError(
      `Give --server or --database, not both: with --server ${url} the server reads its own database.`,
      { option: '--server' },
    );
  }
  // The server checks inputs against its own definitions: no tasks module is loaded here.
  const token = env[TOKEN_ENV];
  return remoteAccess({ url, token: token !== undefined && token !== '' ? token : undefined });
}

function assertDatabaseExists(database: string): void {
  const file = sqliteFilePath(database);
  if (file === null || existsSync(file)) return;
  throw new TaskmillError(
    'DATABASE_NOT_FOUND',
    `There is no database at ${file} (${database}). Check --database or ${DATABASE_ENV}; \`taskmill migrate\`, \`serve\`, \`worker\` and \`submit\` create one.`,
    { details: { database, file } },
  );
}

export async function withSession<T>(
  globals: GlobalOptions,
  options: OpenOptions,
  fn: (session: AccessSession) => Promise<T>,
): Promise<T> {
  const mill = await openAccess(globals, options);
  try {
    return await fn({ mill });
  } finally {
    await mill.close();
  }
}

/** Write to stdout; resolves once the data is handed to the OS, so an exit after it loses nothing. */
export function write(text: string): Promise<void> {
  return new Promise((resolve) => {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`, () => resolve());
  });
}
