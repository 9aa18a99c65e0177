/**
 * Databases as an older taskmill left them, for the tests of a migration: migrated only up to a
 * schema version, with rows written as that version wrote them (plain SQL), then closed, so
 * that opening a store upgrades them.
 */
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { PgConnection } from '../../src/store/postgres/connection.ts';
import {
  migrate as pgMigrate,
  loadMigrations as pgMigrations,
} from '../../src/store/postgres/migrate.ts';
import { DEFAULT_TIMEOUTS } from '../../src/store/postgres/url.ts';
import { SqliteConnection } from '../../src/store/sqlite/connection.ts';
import {
  migrate as sqliteMigrate,
  loadMigrations as sqliteMigrations,
} from '../../src/store/sqlite/migrate.ts';
import { freshSchema } from './postgres.ts';
import { tempDir } from './temp-dir.ts';

type Cleanup = () => Promise<void> | void;

/** A SQLite file at schema `version` holding `rows`; its path. */
export async function sqliteAt(
  version: number,
  rows: readonly string[],
  cleanups: Cleanup[],
): Promise<string> {
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  const path = `${dir.path}/v${version}.db`;
  const conn = new SqliteConnection(new DatabaseSync(path));
  await sqliteMigrate(conn, sqliteMigrations().slice(0, version), path);
  for (const sql of rows) conn.exec(sql);
  conn.close();
  return path;
}

/** A PostgreSQL schema at `version` holding `rows`; the URL that opens it. */
export async function postgresAt(
  version: number,
  rows: readonly string[],
  cleanups: Cleanup[],
): Promise<string> {
  const fresh = await freshSchema(`migrate_v${version}`);
  cleanups.push(fresh.drop);
  const url = new URL(fresh.url);
  url.searchParams.delete('schema');
  const conn = new PgConnection(
    { connectionString: url.toString(), schema: fresh.schema, ...DEFAULT_TIMEOUTS },
    1,
  );
  await pgMigrate(conn, pgMigrations().slice(0, version), fresh.schema);
  await conn.close();
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`SET search_path = ${client.escapeIdentifier(fresh.schema)}`);
    for (const sql of rows) await client.query(sql);
  } finally {
    await client.end();
  }
  return fresh.url;
}
