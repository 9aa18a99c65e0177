/**
 * The bench's own statements on MySQL/MariaDB: each run of taskmill on MariaDB works in a fresh
 * database of its own (MySQL has no schemas inside a database: a database is the namespace),
 * created before and dropped after, as each PostgreSQL run gets a fresh schema (pg-schema.ts).
 * The server is `TASKMILL_BENCH_MYSQL_URL` (its database part, if any, is ignored), by default
 * the local server as root without a password.
 */
import mysql from 'mysql2/promise';

export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/';

/** Pool size and poll interval of the MariaDB rows, tuned as a user would (docs/project/
 * benchmarks.md, "taskmill on MariaDB"): a pool as large as the PostgreSQL adapter's default, and a
 * 50 ms fallback poll, since MariaDB has no LISTEN/NOTIFY and a task submitted by another process
 * waits for the worker's next poll (500 ms by default). */
export const MYSQL_POOL = 10;
/** `TASKMILL_BENCH_MYSQL_POLL_MS` measures another (500 is the worker's default). */
export const MYSQL_POLL_MS = Number(process.env['TASKMILL_BENCH_MYSQL_POLL_MS'] || 50);

export function mysqlServerUrl(): string {
  return process.env['TASKMILL_BENCH_MYSQL_URL'] || DEFAULT_MYSQL_URL;
}

/** The URL taskmill opens for the run's database `name`, with the bench's pool size. */
export function mysqlUrl(name: string): string {
  const u = new URL(mysqlServerUrl());
  u.pathname = `/${name}`;
  u.search = '';
  u.searchParams.set('pool', String(MYSQL_POOL));
  return u.toString();
}

/** Identifiers cannot be bound as parameters: only the names compare.ts makes up get here. */
function checked(name: string): string {
  if (!/^bench_[a-z0-9_]{1,58}$/.test(name)) throw new Error(`bad database name ${name}`);
  return `\`${name}\``;
}

async function withServer<T>(fn: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const u = new URL(mysqlServerUrl());
  const c = await mysql.createConnection({
    host: u.hostname,
    port: u.port === '' ? 3306 : Number(u.port),
    user: decodeURIComponent(u.username) || 'root',
    password: decodeURIComponent(u.password),
    connectTimeout: 3000,
  });
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => c.destroy());
  }
}

export async function createDatabase(name: string): Promise<void> {
  await withServer((c) => c.query(`CREATE DATABASE ${checked(name)}`));
}

export async function dropDatabase(name: string): Promise<void> {
  await withServer((c) => c.query(`DROP DATABASE IF EXISTS ${checked(name)}`));
}

/** Tasks not yet recorded as finished, counted straight from the table (not through `stats()`,
 * which counts every row and would load the server it measures). */
export async function unsettledTasks(name: string): Promise<number> {
  return withServer(async (c) => {
    const [rows] = await c.query(
      `SELECT count(*) AS n FROM ${checked(name)}.tasks WHERE status IN ('queued', 'retrying', 'running')`,
    );
    return Number((rows as { n: number | string }[])[0]?.n ?? 0);
  });
}

/**
 * `ANALYZE TABLE` every table of the database after a fill, and return their names: what the
 * PostgreSQL rows get (pg-schema.ts). InnoDB would recalculate its persistent statistics by
 * itself after 10% of a table changed (innodb_stats_auto_recalc), in the background; this makes
 * sure they are there before the clock starts.
 */
export async function analyzeDatabase(name: string): Promise<string[]> {
  return withServer(async (c) => {
    const [rows] = await c.query(
      'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name',
      [name],
    );
    const tables = (rows as { t: string }[]).map((r) => r.t);
    for (const t of tables) {
      await c.query(`ANALYZE TABLE ${checked(name)}.${c.escapeId(t)}`);
    }
    return tables;
  });
}

/** The server's version (`10.11.19-MariaDB-…`), or null when it does not answer. */
export async function mysqlServerVersion(say: (line: string) => void): Promise<string | null> {
  try {
    return await withServer(async (c) => {
      const [rows] = await c.query('SELECT version() AS v');
      return String((rows as { v: string }[])[0]?.v ?? '');
    });
  } catch (e) {
    say(`MariaDB: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}
