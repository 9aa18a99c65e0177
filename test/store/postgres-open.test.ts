import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.ts';
import { openStore } from '../../src/store/open.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { loadMigrations } from '../../src/store/postgres/migrate.ts';
import { freePort } from '../helpers/free-port.ts';
import { freshSchema, postgresUrl } from '../helpers/postgres.ts';

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

/** The password must not reach anything we print: message, details, or the cause's message. */
function expectNoSecret(error: StoreError, secret: string = SECRET): void {
  expect(error.message).not.toContain(secret);
  expect(JSON.stringify(error.details)).not.toContain(secret);
  expect(JSON.stringify(error.toJSON())).not.toContain(secret);
  const cause = error.cause;
  if (cause instanceof Error) {
    expect(cause.message).not.toContain(secret);
    expect(String(cause.stack)).not.toContain(secret);
  }
}

function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = password;
  return u.toString();
}

/** A schema for this test, dropped after it; `sql` runs statements in it directly. */
async function schemaForTest(prefix: string) {
  const fresh = await freshSchema(prefix);
  cleanups.push(fresh.drop);
  const sql = async (text: string): Promise<pg.QueryResult> => {
    const client = new pg.Client({ connectionString: postgresUrl() });
    await client.connect();
    try {
      await client.query(`SET search_path = ${client.escapeIdentifier(fresh.schema)}`);
      return await client.query(text);
    } finally {
      await client.end();
    }
  };
  return { ...fresh, sql };
}

describe('postgres URLs', () => {
  it('rejects malformed URLs and bad parameters with DATABASE_URL_INVALID, never the password', async () => {
    for (const url of [
      `postgres://ada:${SECRET}@db.example:99999/app`,
      `postgres://ada:${SECRET}@db.example:5432/app?schema=Not-Allowed`,
      `postgres://ada:${SECRET}@db.example:5432/app?schema=${'x'.repeat(51)}`,
      `postgres://ada:${SECRET}@db.example:5432/app?pool=0`,
      `postgresql://ada:${SECRET}@db.example:5432/app?pool=many`,
    ]) {
      const error = await storeErrorOf(openStore(url));
      expect(error.code, url).toBe('DATABASE_URL_INVALID');
      expectNoSecret(error);
    }
  });

  it('fails fast with DATABASE_OPEN_FAILED on a port nobody listens on, naming where', async () => {
    const port = await freePort();
    const started = Date.now();
    const error = await storeErrorOf(
      openStore(`postgres://ada:${SECRET}@127.0.0.1:${port}/app_db`),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.code).toBe('DATABASE_OPEN_FAILED');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toContain('"app_db"');
    expect(error.message).toContain('"ada"');
    expect(error.message).toMatch(/Check that PostgreSQL is running/);
    expect(error.details).toMatchObject({
      host: '127.0.0.1',
      port,
      database: 'app_db',
      user: 'ada',
    });
    expectNoSecret(error);
  });

  it('names a database that does not exist', async () => {
    const url = new URL(withPassword(postgresUrl(), SECRET));
    url.pathname = '/no_such_database_here';
    const error = await storeErrorOf(openStore(url.toString()));
    expect(error.code).toBe('DATABASE_OPEN_FAILED');
    expect(error.message).toContain('"no_such_database_here"');
    expectNoSecret(error);
  });

  it('refuses a wrong password without echoing it', async (ctx) => {
    const { url } = await schemaForTest('wrong_password');
    const wrong = withPassword(url, SECRET);
    let error: StoreError;
    try {
      const store = await openPostgresStore({ url: wrong });
      await store.close();
      // A server with trust authentication lets any password in: nothing to check there.
      ctx.skip();
      return;
    } catch (e) {
      error = e as StoreError;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('DATABASE_OPEN_FAILED');
    expect(error.message).toMatch(/password/);
    expectNoSecret(error);
  });

  it('routes schema and pool from the URL to the adapter', async () => {
    const { url, schema, sql } = await schemaForTest('open_url');
    const store = await openStore(`${url}&pool=2`);
    // A pool of 2 is too small to set claim connections aside: one claim at a time.
    expect(store.capabilities.parallelClaims).toBe(1);
    await store.close();
    const roomy = await openStore(`${url}&pool=6`);
    expect(roomy.capabilities.parallelClaims).toBe(2);
    await roomy.close();
    const tables = await sql(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = '${schema}'`,
    );
    expect(tables.rows.map((r: { table_name: string }) => r.table_name)).toContain('tasks');
  });
});

describe('postgres migrations', () => {
  it('refuses a schema migrated by a newer taskmill', async () => {
    const { url, sql } = await schemaForTest('too_new');
    await (await openStore(url)).close();
    await sql(
      "INSERT INTO taskmill_migrations (version, name, checksum) VALUES (999, '0999_future', 'x')",
    );
    const error = await storeErrorOf(openStore(url));
    expect(error.code).toBe('SCHEMA_TOO_NEW');
    expect(error.message).toContain('999');
  });

  it('refuses a schema whose applied migration was edited', async () => {
    const { url, sql } = await schemaForTest('checksum');
    await (await openStore(url)).close();
    await sql("UPDATE taskmill_migrations SET checksum = 'edited' WHERE version = 1");
    const error = await storeErrorOf(openStore(url));
    expect(error.code).toBe('MIGRATION_CHECKSUM_MISMATCH');
    expect(error.details).toMatchObject({ version: 1, databaseChecksum: 'edited' });
  });

  it('refuses a schema holding someone else’s tables, and writes nothing to it', async () => {
    const { url, schema, sql } = await schemaForTest('foreign');
    const client = new pg.Client({ connectionString: postgresUrl() });
    await client.connect();
    await client.query(`CREATE SCHEMA ${client.escapeIdentifier(schema)}`);
    await client.end();
    await sql('CREATE TABLE customers (id int PRIMARY KEY, name text)');
    const before = await sql(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = '${schema}'`,
    );

    const error = await storeErrorOf(openStore(url));
    expect(error.code).toBe('STORE_NOT_TASKMILL');
    expect(error.message).toContain('customers');
    const after = await sql(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = '${schema}'`,
    );
    expect(after.rows).toEqual(before.rows);
  });

  it('migrates once when eight processes open a fresh schema at the same time', async () => {
    const { url, sql } = await schemaForTest('concurrent');
    const stores = await Promise.all(
      Array.from({ length: 8 }, () => openPostgresStore({ url, poolSize: 1 })),
    );
    await Promise.all(stores.map((s) => s.close()));
    const ledger = await sql('SELECT version, name FROM taskmill_migrations ORDER BY version');
    // Each migration once, whatever the number of processes that raced to apply it.
    expect(ledger.rows).toEqual(
      loadMigrations().map((m) => ({ version: m.version, name: m.name })),
    );
  });
});
