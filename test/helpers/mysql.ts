import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

const MAX_PREFIX = 32;
const DEFAULT_SERVER = 'mysql://root@127.0.0.1:3306';

/** The test server: `TASKMILL_TEST_MYSQL_URL`, else the local MariaDB the project's machines
 * and CI run. Tests fail (never skip) when it cannot be reached. */
export function mysqlServerUrl(): string {
  return process.env['TASKMILL_TEST_MYSQL_URL'] || DEFAULT_SERVER;
}

/** The test server's URL pointing at `database` (whatever database the configured URL names). */
export function mysqlUrlFor(database: string): string {
  const url = new URL(mysqlServerUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

function databaseName(label: string): string {
  let clean = label
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, MAX_PREFIX);
  if (!/^[a-z]/.test(clean)) clean = `d${clean}`.slice(0, MAX_PREFIX);
  // 48 random bits: the tests of parallel workers and earlier runs never collide.
  return `tm_${clean}_${randomBytes(6).toString('hex')}`;
}

async function admin<T>(fn: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const server = new URL(mysqlServerUrl());
  const c = await mysql.createConnection({
    host: server.hostname,
    port: server.port === '' ? 3306 : Number(server.port),
    user: decodeURIComponent(server.username) || 'root',
    password: decodeURIComponent(server.password),
    connectTimeout: 5_000,
  });
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * A database of its own for one test (CREATE DATABASE with a unique name), and the URL that
 * points the adapter at it; `drop` removes it again.
 */
export async function freshMysqlDatabase(
  label: string,
): Promise<{ url: string; database: string; drop(): Promise<void> }> {
  const database = databaseName(label);
  // The name is made here from [a-z0-9_] only, so it needs no quoting.
  await admin((c) =>
    c.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`),
  );
  return {
    url: mysqlUrlFor(database),
    database,
    drop: () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${database}`))),
  };
}
