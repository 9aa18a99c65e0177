/**
 * The bench's own statements on a run's PostgreSQL schema (each system measured works in a fresh
 * schema of its own): dropping it, counting rows, and analysing its tables after a fill.
 */
import pg from 'pg';

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
export function pgUrl(): string {
  return process.env['TASKMILL_BENCH_DATABASE_URL'] || DEFAULT_PG_URL;
}

async function sql<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: pgUrl() });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

export async function countRows(query: string): Promise<number> {
  const rows = await sql<{ n: number | string }>(query);
  return Number(rows[0]?.n ?? 0);
}

/**
 * `ANALYZE` every table of `schema`, and return their names. Run after a fill and before the
 * worker starts (and the clock): the bench's server has autovacuum off, so nothing would ever
 * gather statistics on the freshly filled tables, and every system's fetch query would be
 * planned as if they were empty (pg-boss tuned ran at 1,218/s instead of 12,091/s on 100,000
 * queued, Graphile Worker tuned at 17,000/s instead of 45,000-51,000/s). On a default server,
 * autovacuum's auto-analyze would have done this after the first 50 + 10% inserted rows. Every
 * PostgreSQL system gets the same, taskmill included. The listing includes partitioned parents
 * (pg-boss's `job`), which autovacuum leaves alone; their leaves are analysed either way.
 */
export async function analyzeSchema(schema: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: pgUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>(
      'SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename',
      [schema],
    );
    for (const { tablename } of rows) {
      await client.query(
        `ANALYZE ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(tablename)}`,
      );
    }
    return rows.map((r) => r.tablename);
  } finally {
    await client.end();
  }
}
