import mysql from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError, ValidationError } from '../../src/core/errors.ts';
import { IDLE_TRANSACTION_S, MyConnection } from '../../src/store/mysql/connection.ts';
import { openMysqlStore } from '../../src/store/mysql/index.ts';
import { loadMigrations } from '../../src/store/mysql/migrate.ts';
import { parseMysqlUrl } from '../../src/store/mysql/url.ts';
import { freePort } from '../helpers/free-port.ts';
import { freshMysqlDatabase } from '../helpers/mysql.ts';

const SECRET = 'pa55-W0rd-never-shown';
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function storeErrorOf(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(StoreError);
    return e as StoreError;
  }
  throw new Error('expected the call to fail');
}

function expectNoSecret(error: StoreError): void {
  expect(error.message).not.toContain(SECRET);
  expect(JSON.stringify(error.details)).not.toContain(SECRET);
  expect(JSON.stringify(error.toJSON())).not.toContain(SECRET);
  if (error.cause instanceof Error) expect(String(error.cause.stack)).not.toContain(SECRET);
}

/** A database for this test, dropped after it; `sql` runs statements in it directly. */
async function databaseForTest(label: string) {
  const fresh = await freshMysqlDatabase(label);
  cleanups.push(fresh.drop);
  const target = parseMysqlUrl(fresh.url).target;
  const sql = async <T>(text: string): Promise<T[]> => {
    const c = await mysql.createConnection({ ...target, multipleStatements: false });
    try {
      const [rows] = await c.query(text);
      return rows as T[];
    } finally {
      await c.end();
    }
  };
  return { ...fresh, target, sql };
}

describe('mysql URLs and options', () => {
  it('rejects malformed URLs and bad parameters with DATABASE_URL_INVALID, never the password', async () => {
    for (const url of [
      `mysql://ada:${SECRET}@db.example:99999/app`,
      `mysql://ada:${SECRET}@db.example:3306/`,
      `mysql://ada:${SECRET}@db.example:3306/app?pool=0`,
      `mariadb://ada:${SECRET}@db.example:3306/app?pool=many`,
      `mysql://ada:${SECRET}@db.example:3306/app?schema=x`,
      `mysql://ada:${SECRET}@db.example:3306/bad-name`,
      `postgres://ada:${SECRET}@db.example:3306/app`,
    ]) {
      const error = await storeErrorOf(openMysqlStore({ url }));
      expect(error.code, url).toBe('DATABASE_URL_INVALID');
      expectNoSecret(error);
    }
  });

  it('reads user, host, port, database and taskmill parameters from the URL', () => {
    const { target, poolSize } = parseMysqlUrl(
      'mariadb://ada:p%40ss@db.example:3307/app_db?pool=3&queryTimeoutMs=2000',
    );
    expect(poolSize).toBe(3);
    expect(target).toMatchObject({
      host: 'db.example',
      port: 3307,
      user: 'ada',
      password: 'p@ss',
      database: 'app_db',
      queryTimeoutMs: 2000,
    });
  });

  it('refuses an unknown option with OPTIONS_INVALID naming it', async () => {
    const error = await openMysqlStore({
      url: 'mysql://root@127.0.0.1:3306/test',
      schema: 'x',
    } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('OPTIONS_INVALID');
    expect((error as ValidationError).message).toContain('schema');
  });

  it('fails fast with DATABASE_OPEN_FAILED on a port nobody listens on, naming where', async () => {
    const port = await freePort();
    const started = Date.now();
    const error = await storeErrorOf(
      openMysqlStore({ url: `mysql://ada:${SECRET}@127.0.0.1:${port}/app_db` }),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.code).toBe('DATABASE_OPEN_FAILED');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toContain('"app_db"');
    expect(error.message).toContain('"ada"');
    expect(error.details).toMatchObject({ host: '127.0.0.1', port, database: 'app_db' });
    expectNoSecret(error);
  });

  it('names a database that does not exist', async () => {
    const error = await storeErrorOf(
      openMysqlStore({ url: 'mysql://root@127.0.0.1:3306/no_such_database_here' }),
    );
    expect(error.code).toBe('DATABASE_OPEN_FAILED');
    expect(error.message).toContain('"no_such_database_here"');
    expect(error.message).toMatch(/CREATE DATABASE/);
  });
});

describe('mysql migrations', () => {
  it('refuses a database migrated by a newer taskmill', async () => {
    const { url, sql } = await databaseForTest('too_new');
    await (await openMysqlStore({ url })).close();
    await sql(
      "INSERT INTO taskmill_migrations (version, name, checksum) VALUES (999, '0999_future', 'x')",
    );
    const error = await storeErrorOf(openMysqlStore({ url }));
    expect(error.code).toBe('SCHEMA_TOO_NEW');
    expect(error.message).toContain('999');
  });

  it('refuses a database whose applied migration was edited', async () => {
    const { url, sql } = await databaseForTest('checksum');
    await (await openMysqlStore({ url })).close();
    await sql("UPDATE taskmill_migrations SET checksum = 'edited' WHERE version = 1");
    const error = await storeErrorOf(openMysqlStore({ url }));
    expect(error.code).toBe('MIGRATION_CHECKSUM_MISMATCH');
    expect(error.details).toMatchObject({ version: 1, databaseChecksum: 'edited' });
  });

  it('refuses a database holding someone else’s tables, and writes nothing to it', async () => {
    const { url, sql } = await databaseForTest('foreign');
    await sql('CREATE TABLE customers (id int PRIMARY KEY, name text)');
    const error = await storeErrorOf(openMysqlStore({ url }));
    expect(error.code).toBe('STORE_NOT_TASKMILL');
    expect(error.message).toContain('customers');
    const tables = await sql<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
    );
    expect(tables.map((t) => t.name)).toEqual(['customers']);
  });

  it('migrates once when eight processes open a fresh database at the same time', async () => {
    const { url, sql } = await databaseForTest('concurrent');
    const stores = await Promise.all(
      Array.from({ length: 8 }, () => openMysqlStore({ url, poolSize: 1 })),
    );
    expect(stores.map((s) => s.schema.version)).toEqual(stores.map(() => 7));
    expect(stores.flatMap((s) => s.schema.applied)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await Promise.all(stores.map((s) => s.close()));
    const ledger = await sql('SELECT version, name FROM taskmill_migrations ORDER BY version');
    expect(ledger).toEqual(loadMigrations().map((m) => ({ version: m.version, name: m.name })));
  });
});

describe('mysql transactions', () => {
  it('has MariaDB end a session left idle inside a transaction, so a frozen worker holds no row locks for long', async () => {
    const { target } = await databaseForTest('idle_transaction');
    const conn = new MyConnection(target, 2);
    cleanups.push(() => conn.close());
    const shown = await conn.transaction((s) =>
      s.all<{ t: number }>(
        'show-idle-timeout',
        [],
        () => 'SELECT @@session.idle_transaction_timeout AS t',
      ),
    );
    expect(shown).toEqual([{ t: IDLE_TRANSACTION_S }]);
  });

  it('runs a transaction again when the server picks it as a deadlock victim', async () => {
    const { url, target, sql } = await databaseForTest('deadlock');
    await (await openMysqlStore({ url })).close();
    await sql("INSERT INTO queues (name, paused, updated_at) VALUES ('a', 0, 0), ('b', 0, 0)");
    const conn = new MyConnection(target, 4);
    cleanups.push(() => conn.close());
    let runs = 0;
    // Each locks one row, waits until the other holds its own, then asks for the other's row:
    // the server ends one of them with errno 1213, and the retry then finds the row free.
    let arrived = 0;
    let release: () => void = () => {};
    const bothHold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const lockBoth = (first: string, second: string) =>
      conn.transaction(async (s) => {
        runs += 1;
        await s.run('queue-upsert', [first, 1, 0, null, 1, 1, 0, null]);
        arrived += 1;
        if (arrived === 2) release();
        await bothHold;
        await s.run('queue-upsert', [second, 1, 0, null, 2, 1, 0, null]);
        return first;
      });
    expect(await Promise.all([lockBoth('a', 'b'), lockBoth('b', 'a')])).toEqual(['a', 'b']);
    expect(runs).toBe(3);
    const rows = await sql<{ name: string; paused: number }>(
      'SELECT name, paused FROM queues ORDER BY name',
    );
    expect(rows).toEqual([
      { name: 'a', paused: 1 },
      { name: 'b', paused: 1 },
    ]);
  });
});
