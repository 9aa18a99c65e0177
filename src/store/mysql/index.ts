/**
 * Opens a MySQL/MariaDB store: connects (a clear error naming host, port, database and user when
 * it cannot, never the password), checks that the database is ours (or empty) before writing
 * anything, and applies the migrations it lacks.
 */
import { randomUUID } from 'node:crypto';
import { StoreError } from '../../core/errors.ts';
import { checkOptions, is, optionSpec, valueRule } from '../../core/options-check.ts';
import type { SchemaState } from '../contract.ts';
import { loadSql } from '../sql-files.ts';
import { ADAPTER_DIR, MyConnection } from './connection.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { MysqlStore } from './store.ts';
import { DEFAULT_POOL_SIZE, type MysqlUrl, parseMysqlUrl } from './url.ts';

export { MysqlStore } from './store.ts';

export interface MysqlStoreOptions {
  /** `mysql://user:password@host:3306/database` or `mariadb://…`; its `pool` parameter is
   * honoured when `poolSize` is absent, its `connectTimeoutMs` and `queryTimeoutMs` always. */
  url: string;
  /** Connections in the pool. Default 10. */
  poolSize?: number;
}

const OPTIONS_SPEC = optionSpec<MysqlStoreOptions>({
  url: is.string,
  poolSize: valueRule(
    'a whole number from 1 to 1000',
    (v) => Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= 1000,
  ),
});

function scrub(text: string, secret: string): string {
  if (secret === '') return text;
  return text.replaceAll(secret, '***').replaceAll(encodeURIComponent(secret), '***');
}

function hintFor(code: string | undefined, where: MysqlUrl['target']): string {
  switch (code) {
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR':
      return `Check the user name and password, and that user "${where.user}" may connect from this host and use database "${where.database}".`;
    case 'ER_BAD_DB_ERROR':
      return `Check the database name, or create it (CREATE DATABASE ${where.database}).`;
    default:
      return `Check that MySQL/MariaDB is running and reachable at ${where.host}:${where.port} (host, port, firewall, bind-address).`;
  }
}

/** Connection failures at open: which server, which database, as whom, and what to check. */
export function openFailed(where: MysqlUrl['target'], cause: unknown): StoreError {
  const raw0 = (cause as { code?: unknown } | null)?.code;
  const code = typeof raw0 === 'string' ? raw0 : undefined;
  const raw = cause instanceof Error ? cause.message || code || cause.name : String(cause);
  const reason = scrub(raw, where.password);
  // The driver's own error goes along only as a scrubbed copy: its message could carry the
  // password in some failure modes.
  const safeCause = new Error(reason);
  if (code !== undefined) Object.assign(safeCause, { code });
  return new StoreError(
    'DATABASE_OPEN_FAILED',
    `Could not connect to MySQL at ${where.host}:${where.port}, database "${where.database}", user "${where.user}": ${reason}. ${hintFor(code, where)}`,
    {
      cause: safeCause,
      details: {
        host: where.host,
        port: where.port,
        database: where.database,
        user: where.user,
        ...(code === undefined ? {} : { code }),
      },
    },
  );
}

async function probe(conn: MyConnection, where: MysqlUrl['target']): Promise<void> {
  try {
    const c = await conn.pool.getConnection();
    c.release();
  } catch (e) {
    throw openFailed(where, e);
  }
}

export async function openMysqlStore(options: MysqlStoreOptions): Promise<MysqlStore> {
  checkOptions(OPTIONS_SPEC, options, 'options');
  const where = parseMysqlUrl(options.url);
  const poolSize = options.poolSize ?? where.poolSize ?? DEFAULT_POOL_SIZE;
  const conn = new MyConnection(where.target, poolSize);
  const t = where.target;
  const location = `The database "${t.database}" at ${t.host}:${t.port}`;
  let schemaState: SchemaState;
  try {
    await probe(conn, t);
    const migrations = loadMigrations();
    const applied = await migrate(conn, migrations, location);
    schemaState = { version: Math.max(0, ...migrations.map((m) => m.version)), applied };
  } catch (e) {
    await conn.close();
    throw e;
  }
  return new MysqlStore(conn, schemaState, poolSize);
}

/** The schema a fresh migrate produces, as `npm run db:dump` writes it to schema.snapshot.sql.
 * Migrates a throw-away database on the server `url` names, and drops it again. */
/** A statement's text with a database name this module made up, checked again before it
 * reaches DDL (identifiers cannot be bound as parameters). */
function ddl(text: string, database: string): string {
  if (!/^taskmill_dump_[0-9a-f]{12}$/.test(database)) throw new Error(`bad name ${database}`);
  return text.replaceAll('{{database}}', database);
}

/** The schema a fresh migrate produces, as `npm run db:dump` writes it to schema.snapshot.sql.
 * Migrates a throw-away database on the server `url` names, and drops it again. */
export async function dumpMysqlSchema(url: string): Promise<string> {
  const where = parseMysqlUrl(url);
  const name = `taskmill_dump_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new MyConnection(where.target, 1);
  try {
    await probe(admin, where.target);
    await admin.direct.exec(ddl(loadSql(ADAPTER_DIR, 'database-create'), name), 'database-create');
    const conn = new MyConnection({ ...where.target, database: name }, 1);
    try {
      await migrate(conn, loadMigrations(), `The database "${name}"`);
      const rows = await conn.direct.all<{ line: string }>('schema-dump');
      const header =
        '-- Generated by `npm run db:dump` from a freshly migrated database; do not edit.\n';
      return `${header}\n${rows.map((r) => r.line).join('\n')}\n`;
    } finally {
      await conn.close();
    }
  } finally {
    await admin.direct
      .exec(ddl(loadSql(ADAPTER_DIR, 'database-drop'), name), 'database-drop')
      .finally(() => admin.close());
  }
}
