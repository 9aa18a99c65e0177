/**
 * Migrations: numbered, append-only `.sql` files in `migrations/`, each recorded with its SHA-256
 * in the ledger `taskmill_migrations` inside the store's schema. The schema is checked first
 * without writing anything (a schema that is not ours is refused untouched, and an up-to-date one
 * costs no lock); when something is missing, the check is repeated and the migrations applied in
 * one transaction under an advisory lock, because another process may be migrating too.
 */
import { join } from 'node:path';
import pg from 'pg';
import { StoreError } from '../../core/errors.ts';
import {
  type AppliedMigration,
  checkLedger,
  LEDGER,
  type Migration,
  readMigrations,
} from '../migration-files.ts';
import { loadSql } from '../sql-files.ts';
import { ADAPTER_DIR, type PgConnection, type PgSession } from './connection.ts';

export type { Migration } from '../migration-files.ts';

export function loadMigrations(dir: string = join(ADAPTER_DIR, 'migrations')): Migration[] {
  return readMigrations(dir);
}

function notTaskmill(location: string, tables: string[]): StoreError {
  const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', …' : '');
  return new StoreError(
    'STORE_NOT_TASKMILL',
    `${location} is not a taskmill schema: it holds tables (${shown}) but no ${LEDGER} ledger. Nothing was written to it; choose another schema with ?schema=… in the URL, or a database taskmill created.`,
    { details: { location, tables: tables.slice(0, 20) } },
  );
}

/**
 * The versions already applied; throws if the schema is someone else's, newer than this build,
 * or was migrated with a file that has since been edited. Reads only.
 */
export async function checkSchema(
  s: PgSession,
  schema: string,
  migrations: readonly Migration[],
  location: string,
): Promise<Set<number>> {
  const tables = (await s.all<{ name: string }>('schema-tables', [schema])).map((r) => r.name);
  if (tables.length === 0) return new Set();
  if (!tables.includes(LEDGER)) throw notTaskmill(location, tables);
  const applied = await s.all<AppliedMigration>('migration-list');
  return checkLedger(applied, migrations, location, 'schema');
}

/** Create the schema if needed and apply the migrations it lacks; returns the versions applied. */
export async function migrate(
  conn: PgConnection,
  migrations: readonly Migration[],
  location: string,
): Promise<number[]> {
  const { schema } = conn.target;
  const before = await checkSchema(conn.session(), schema, migrations, location);
  if (migrations.every((m) => before.has(m.version))) return [];
  return conn.transaction(async (s) => {
    await s.all('migration-lock', [schema]);
    const applied = await checkSchema(s, schema, migrations, location);
    const create = loadSql(ADAPTER_DIR, 'schema-create').replaceAll(
      '{{schema}}',
      pg.escapeIdentifier(schema),
    );
    await s.exec(create, 'schema-create');
    await s.all('migration-ledger-create');
    const done: number[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await s.exec(m.sql, `migration ${m.name}`);
      await s.all('migration-record', [m.version, m.name, m.checksum]);
      done.push(m.version);
    }
    return done;
  });
}
