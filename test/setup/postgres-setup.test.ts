import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshSchema, postgresUrl } from '../helpers/postgres.ts';

async function query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

async function schemaExists(schema: string): Promise<boolean> {
  const rows = await query<{ n: number }>(
    'select count(*)::int as n from pg_namespace where nspname = $1',
    [schema],
  );
  return rows[0]?.n === 1;
}

describe('PostgreSQL test setup', () => {
  it('provides a server that answers', async () => {
    expect(await query<{ one: number }>('select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('gives every call its own valid schema name and a URL that carries it', async () => {
    const a = await freshSchema('Setup Test!');
    const b = await freshSchema('Setup Test!');
    expect(a.schema).not.toBe(b.schema);
    for (const { schema, url } of [a, b]) {
      expect(schema).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(schema.length).toBeLessThanOrEqual(50);
      expect(schema.startsWith('setup_test_')).toBe(true);
      expect(new URL(url).searchParams.get('schema')).toBe(schema);
    }
  });

  it('keeps names short and unquoted whatever the prefix', async () => {
    const long = await freshSchema('x'.repeat(200));
    const digits = await freshSchema('42');
    expect(long.schema.length).toBeLessThanOrEqual(50);
    expect(digits.schema).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it('drop() removes the schema and what is in it, and tolerates a missing one', async () => {
    const { schema, drop } = await freshSchema('drop');
    await query(`create schema ${schema}`);
    await query(`create table ${schema}.t (id int)`);
    expect(await schemaExists(schema)).toBe(true);
    await drop();
    expect(await schemaExists(schema)).toBe(false);
    await drop();
  });
});
