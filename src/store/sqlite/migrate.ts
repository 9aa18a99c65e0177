/**
 * Migrations: numbered, append-only `.sql` files in `migrations/`, each recorded with its SHA-256
 * in the ledger `taskmill_migrations`. The schema is checked before anything is written, so a
 * file that is not ours (or not SQLite at all) is refused untouched, and checked again under the
 * write lock, because another process may have migrated in between.
 */
import { join } from 'node:path';
import { StoreError } from '../../core/errors.ts';
import {
  type AppliedMigration,
  checkLedger,
  LEDGER,
  type Migration,
  readMigrations,
} from '../migration-files.ts';
import { ADAPTER_DIR, isDriverError, type SqliteConnection } from './connection.ts';

export type { Migration } from '../migration-files.ts';

const SQLITE_NOTADB = 26;

export function loadMigrations(dir: string = join(ADAPTER_DIR, 'migrations')): Migration[] {
  return readMigrations(dir);
}

function notTaskmill(location: string, why: string, cause?: unknown): StoreError {
  return new StoreError(
    'STORE_NOT_TASKMILL',
    `${location} is not a taskmill database: ${why}. Nothing was written to it; point taskmill at a new file or at a database it created.`,
    { cause, details: { location } },
  );
}

function listTables(conn: SqliteConnection, location: string): string[] {
  try {
    return conn.all<{ name: string }>('schema-tables').map((r) => r.name);
  } catch (e) {
    const cause = e instanceof StoreError ? e.cause : e;
    if (isDriverError(cause) && (cause.errcode & 0xff) === SQLITE_NOTADB) {
      throw notTaskmill(location, 'it is not an SQLite database file', cause);
    }
    throw e;
  }
}

/**
 * The versions already applied; throws if the database is someone else's, newer than this build,
 * or was migrated with a file that has since been edited.
 */
export function checkSchema(
  conn: SqliteConnection,
  migrations: readonly Migration[],
  location: string,
): Set<number> {
  const tables = listTables(conn, location);
  if (tables.length === 0) return new Set();
  if (!tables.includes(LEDGER)) {
    const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', …' : '');
    throw notTaskmill(location, `it holds tables (${shown}) but no ${LEDGER} ledger`);
  }
  const applied = conn.all<AppliedMigration>('migration-list');
  return checkLedger(applied, migrations, location, 'database');
}

/** Apply the migrations the database lacks, all in one `BEGIN IMMEDIATE` transaction. */
export async function migrate(
  conn: SqliteConnection,
  migrations: readonly Migration[],
  location: string,
): Promise<number[]> {
  return conn.write(() => {
    const applied = checkSchema(conn, migrations, location);
    conn.run('migration-ledger-create');
    const done: number[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      conn.exec(m.sql, `migration ${m.name}`);
      // The ledger keeps when it happened for people reading it; no task logic depends on it.
      conn.run('migration-record', m.version, m.name, m.checksum, Date.now());
      done.push(m.version);
    }
    return done;
  });
}
