/**
 * Migrations: numbered, append-only `.sql` files in `migrations/`, each recorded with its SHA-256
 * in the ledger `taskmill_migrations` of the store's database. The database is checked first
 * without writing anything (a database that is not ours is refused untouched, and an up-to-date
 * one costs no lock); when something is missing, the check is repeated and the migrations applied
 * under a named lock (GET_LOCK), because another process may be migrating too.
 *
 * MySQL commits each DDL statement by itself, so a migration cannot be rolled back as one
 * transaction the way PostgreSQL's are: each is recorded in the ledger right after its last
 * statement ran, and one cut off halfway (a kill, a lost connection, a missing privilege) leaves
 * the statements before the cut applied. The next run resumes it: each statement runs on its
 * own (both servers make a single DDL statement atomic), and one that fails because what it
 * creates exists already, or what it drops is gone, is taken as done by the run that was cut
 * off. So a migration here holds only statements for which that is true (CREATE TABLE, ALTER
 * TABLE … ADD/DROP, CREATE INDEX), or data statements that may run twice.
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
import { ADAPTER_DIR, type MyConnection, type MySession } from './connection.ts';
import { splitStatements } from './sql-statements.ts';

export type { Migration } from '../migration-files.ts';

/** How long a process waits for another one's migration before it gives up. */
const LOCK_WAIT_SECONDS = 120;
/** A table (1050), column (1060) or key (1061) that exists already; a column or key to drop
 * that does not (1091): what a statement of an interrupted run of the migration left. */
const ALREADY_DONE_ERRNOS = new Set([1050, 1060, 1061, 1091]);

function errnoOf(e: unknown): number | undefined {
  const details = (e as { details?: { errno?: unknown } } | null)?.details;
  return typeof details?.errno === 'number' ? details.errno : undefined;
}

/** Every statement of `m`, each taken as done when what it makes exists (see the top). */
async function runMigration(s: MySession, m: Migration): Promise<void> {
  const statements = splitStatements(m.sql);
  for (const [i, sql] of statements.entries()) {
    try {
      await s.exec(sql, `migration ${m.name}, statement ${i + 1} of ${statements.length}`);
    } catch (e) {
      if (!ALREADY_DONE_ERRNOS.has(errnoOf(e) ?? 0)) throw e;
    }
  }
}

export function loadMigrations(dir: string = join(ADAPTER_DIR, 'migrations')): Migration[] {
  return readMigrations(dir);
}

function notTaskmill(location: string, tables: string[]): StoreError {
  const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', …' : '');
  return new StoreError(
    'STORE_NOT_TASKMILL',
    `${location} is not a taskmill database: it holds tables (${shown}) but no ${LEDGER} ledger. Nothing was written to it; point the URL at an empty database or one taskmill created.`,
    { details: { location, tables: tables.slice(0, 20) } },
  );
}

/**
 * The versions already applied; throws if the database is someone else's, newer than this
 * build, or was migrated with a file that has since been edited. Reads only.
 */
export async function checkSchema(
  s: MySession,
  migrations: readonly Migration[],
  location: string,
): Promise<Set<number>> {
  const tables = (await s.all<{ name: string }>('schema-tables')).map((r) => r.name);
  if (tables.length === 0) return new Set();
  if (!tables.includes(LEDGER)) throw notTaskmill(location, tables);
  const applied = await s.all<AppliedMigration>('migration-list');
  return checkLedger(applied, migrations, location, 'database');
}

async function applyMissing(
  s: MySession,
  migrations: readonly Migration[],
  location: string,
): Promise<number[]> {
  const applied = await checkSchema(s, migrations, location);
  await s.run('migration-ledger-create');
  const done: number[] = [];
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    await runMigration(s, m);
    await s.run('migration-record', [m.version, m.name, m.checksum]);
    done.push(m.version);
  }
  return done;
}

/** Apply the migrations the database lacks; returns the versions applied. */
export async function migrate(
  conn: MyConnection,
  migrations: readonly Migration[],
  location: string,
): Promise<number[]> {
  const before = await checkSchema(conn.direct, migrations, location);
  if (migrations.every((m) => before.has(m.version))) return [];
  return conn.dedicated(async (s) => {
    const lock = await s.get<{ got: number | null }>('migration-lock', [LOCK_WAIT_SECONDS]);
    if (lock?.got !== 1) {
      throw new StoreError(
        'STORE_UNAVAILABLE',
        `${location} is being migrated by another process, which has not finished within ${LOCK_WAIT_SECONDS} s. Try again once it has.`,
        { details: { location } },
      );
    }
    try {
      return await applyMissing(s, migrations, location);
    } finally {
      await s.get('migration-unlock');
    }
  });
}
