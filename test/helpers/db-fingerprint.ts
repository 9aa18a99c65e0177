/**
 * A cheap fingerprint of everything a taskmill database holds, read through a connection of its
 * own (never the server's store), so "a refused request wrote nothing" is checked from outside:
 * each table's row count, plus the columns a write in place changes (update times, priorities,
 * attempts, pause flags, limits, heartbeats). One statement per read.
 */
import { DatabaseSync } from 'node:sqlite';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { parseMysqlUrl } from '../../src/store/mysql/url.ts';
import { parsePostgresUrl } from '../../src/store/postgres/url.ts';

/** `table.aggregate` to its value, e.g. `tasks.count(*)`: 3. */
export type Fingerprint = Record<string, string>;

export interface Fingerprinter {
  read(): Promise<Fingerprint>;
  close(): Promise<void>;
}

/** What differs between two fingerprints, as `what: before -> after`. */
export function changes(before: Fingerprint, after: Fingerprint): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((k) => before[k] !== after[k])
    .map((k) => `${k}: ${before[k]} -> ${after[k]}`);
}

/** Aggregates over columns that an update changes without changing a row count. */
const IN_PLACE: Record<string, string[]> = {
  tasks: [
    'coalesce(max(updated_at), 0)',
    'coalesce(sum(priority), 0)',
    'coalesce(sum(max_attempts), 0)',
    'coalesce(sum(attempt), 0)',
    'count(*) filter (where cancel_requested = true)',
    "count(*) filter (where status = 'queued')",
  ],
  queues: [
    'coalesce(max(updated_at), 0)',
    'count(*) filter (where paused = true)',
    'coalesce(sum(concurrency), 0)',
  ],
  workers: ['coalesce(max(last_heartbeat_at), 0)', "count(*) filter (where state = 'online')"],
};

function measures(tables: string[]): [table: string, aggregate: string][] {
  return tables.flatMap((t) =>
    ['count(*)', ...(IN_PLACE[t] ?? [])].map((a): [string, string] => [t, a]),
  );
}

function statement(
  tables: string[],
  quote: (name: string) => string,
  dialect: (aggregate: string) => string = (a) => a,
): string {
  const columns = measures(tables).map(
    ([t, agg], i) => `(select ${dialect(agg)} from ${quote(t)}) as c${i}`,
  );
  return `select ${columns.join(', ')}`;
}

/** MySQL has no `filter (where …)`: the same count with a CASE. */
const withoutFilter = (aggregate: string) =>
  aggregate.replace(/^count\(\*\) filter \(where (.*)\)$/, 'count(case when $1 then 1 end)');

async function openMysqlFingerprint(url: string): Promise<Fingerprinter> {
  const { host, port, user, password, database } = parseMysqlUrl(url).target;
  const c = await mysql.createConnection({
    host,
    port,
    user,
    password,
    database,
    connectTimeout: 5_000,
  });
  const [rows] = await c.query(
    'select table_name as name from information_schema.tables where table_schema = database() order by table_name',
  );
  const tables = (rows as { name: string }[]).map((r) => r.name);
  const sql = statement(tables, (t) => `\`${t}\``, withoutFilter);
  return {
    read: async () => {
      const [result] = await c.query({ sql, rowsAsArray: true });
      return label(tables, (result as unknown[][])[0] ?? []);
    },
    close: () => c.end(),
  };
}

function label(tables: string[], values: unknown[]): Fingerprint {
  return Object.fromEntries(measures(tables).map(([t, a], i) => [`${t}.${a}`, String(values[i])]));
}

/** For a `sqlite:`, `postgres://` or `mysql://` URL as the test helpers hand out. */
export async function openFingerprint(url: string): Promise<Fingerprinter> {
  if (/^(mysql|mariadb):/.test(url)) return openMysqlFingerprint(url);
  if (url.startsWith('sqlite:')) {
    const db = new DatabaseSync(url.slice('sqlite:'.length), { readOnly: true });
    const tables = db
      .prepare("select name from sqlite_master where type = 'table' order by name")
      .all()
      .map((row) => String(row['name']));
    const query = db.prepare(statement(tables, (t) => `"${t}"`));
    return {
      read: async () => label(tables, Object.values(query.get() ?? {})),
      close: async () => db.close(),
    };
  }
  const { connectionString, schema } = parsePostgresUrl(url);
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  await client.connect();
  const { rows } = await client.query<{ table_name: string }>(
    'select table_name from information_schema.tables where table_schema = $1 order by table_name',
    [schema ?? 'taskmill'],
  );
  const tables = rows.map((r) => r.table_name);
  const quote = (t: string) =>
    `${client.escapeIdentifier(schema ?? 'taskmill')}.${client.escapeIdentifier(t)}`;
  const sql = statement(tables, quote);
  return {
    read: async () => {
      const result = await client.query({ text: sql, rowMode: 'array' });
      return label(tables, result.rows[0] as unknown[]);
    },
    close: () => client.end(),
  };
}

/** What `action` changed in the database at `url`: [] when it wrote nothing. */
export async function writesDuring(url: string, action: () => Promise<void>): Promise<string[]> {
  const fingerprint = await openFingerprint(url);
  try {
    const before = await fingerprint.read();
    await action();
    return changes(before, await fingerprint.read());
  } finally {
    await fingerprint.close();
  }
}
