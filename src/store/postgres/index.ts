/**
 * Opens a PostgreSQL store: connects (a clear error naming host, port, database and user when it
 * cannot, never the password), checks that the schema is ours (or new) before writing anything,
 * and applies the migrations it lacks.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { StoreError } from '../../core/errors.ts';
import type { SchemaState } from '../contract.ts';
import type { SearchCollation } from '../list-cursor.ts';
import { loadSql } from '../sql-files.ts';
import { ADAPTER_DIR, PgConnection } from './connection.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { PostgresStore } from './store.ts';
import {
  checkSchemaName,
  DEFAULT_POOL_SIZE,
  DEFAULT_SCHEMA,
  type PostgresUrl,
  parsePostgresUrl,
  targetOf,
} from './url.ts';

export { PostgresStore } from './store.ts';

export interface PostgresStoreOptions {
  /** `postgres://…` or `postgresql://…`; its `schema` and `pool` parameters are honoured when
   * the options below are absent, and its `connectTimeoutMs` and `queryTimeoutMs` always. */
  url: string;
  /** Where every table lives; created when missing. Default `taskmill`. */
  schema?: string;
  /** Connections in the pool (the LISTEN connection comes on top). Default 10. */
  poolSize?: number;
}

function scrub(text: string, secret: string): string {
  if (secret === '') return text;
  return text.replaceAll(secret, '***').replaceAll(encodeURIComponent(secret), '***');
}

function hintFor(code: string | undefined, where: PostgresUrl): string {
  switch (code) {
    case '28P01':
    case '28000':
      return `Check the user name and password, and that pg_hba.conf lets user "${where.user}" in from this host.`;
    case '3D000':
      return `Check the database name, or create it (createdb ${where.database}).`;
    case '57P03':
      return 'The server is starting up or shutting down; try again in a moment.';
    default:
      return `Check that PostgreSQL is running and reachable at ${where.host}:${where.port} (host, port, firewall, listen_addresses).`;
  }
}

/** Connection failures at open: which server, which database, as whom, and what to check. */
export function openFailed(where: PostgresUrl, cause: unknown): StoreError {
  const code = (cause as { code?: unknown } | null)?.code;
  const sqlState = typeof code === 'string' ? code : undefined;
  const raw = cause instanceof Error ? cause.message || sqlState || cause.name : String(cause);
  const reason = scrub(raw, where.password);
  // The driver's own error goes along as the cause only as a scrubbed copy: its message or
  // stack could carry the password in some failure modes.
  const safeCause = new Error(reason);
  if (sqlState !== undefined) Object.assign(safeCause, { code: sqlState });
  return new StoreError(
    'DATABASE_OPEN_FAILED',
    `Could not connect to PostgreSQL at ${where.host}:${where.port}, database "${where.database}", user "${where.user}": ${reason}. ${hintFor(sqlState, where)}`,
    {
      cause: safeCause,
      details: {
        host: where.host,
        port: where.port,
        database: where.database,
        user: where.user,
        ...(sqlState === undefined ? {} : { code: sqlState }),
      },
    },
  );
}

async function probe(conn: PgConnection, where: PostgresUrl): Promise<void> {
  let client: pg.PoolClient;
  try {
    client = await conn.pool.connect();
  } catch (e) {
    throw openFailed(where, e);
  }
  client.release();
}

export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const where = parsePostgresUrl(options.url);
  const schema = checkSchemaName(options.url, options.schema ?? where.schema ?? DEFAULT_SCHEMA);
  const poolSize = options.poolSize ?? where.poolSize ?? DEFAULT_POOL_SIZE;
  const conn = new PgConnection(targetOf(where, schema), poolSize);
  const location = `The schema "${schema}" of database "${where.database}" at ${where.host}:${where.port}`;
  let schemaState: SchemaState;
  let searchCollation: SearchCollation;
  try {
    await probe(conn, where);
    const migrations = loadMigrations();
    const applied = await migrate(conn, migrations, location);
    schemaState = { version: Math.max(0, ...migrations.map((m) => m.version)), applied };
    const collation = await conn.session().get<{ icu: boolean }>('collation-icu');
    searchCollation = collation?.icu ? 'und-x-icu' : 'default';
  } catch (e) {
    await conn.close();
    throw e;
  }
  return new PostgresStore(conn, schemaState, searchCollation);
}

/** The schema a fresh migrate produces, as `npm run db:dump` writes it to schema.snapshot.sql.
 * Migrates a throw-away schema on the server `url` names, and drops it again. */
export async function dumpPostgresSchema(url: string): Promise<string> {
  const where = parsePostgresUrl(url);
  const schema = `taskmill_dump_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const conn = new PgConnection(targetOf(where, schema), 1);
  try {
    await probe(conn, where);
    await migrate(conn, loadMigrations(), `The schema "${schema}"`);
    const rows = await conn.session().all<{ sql: string }>('schema-dump');
    const header =
      '-- Generated by `npm run db:dump` from a freshly migrated schema; do not edit.\n';
    return `${header}\n${rows.map((r) => `${r.sql};\n`).join('\n')}`;
  } finally {
    const drop = loadSql(ADAPTER_DIR, 'schema-drop').replaceAll(
      '{{schema}}',
      pg.escapeIdentifier(schema),
    );
    await conn
      .session()
      .exec(drop, 'schema-drop')
      .finally(() => conn.close());
  }
}
