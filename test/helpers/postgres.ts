import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

const MAX_PREFIX = 32;

/** The test server's URL, from the global setup (`TASKMILL_TEST_DATABASE_URL` or embedded). */
export function postgresUrl(): string {
  return inject('postgresUrl');
}

/**
 * A schema name no other test uses, and the server URL that points the adapter at it (the
 * adapter creates the schema on open). Tests share one database, so each gets its own schema.
 */
export async function freshSchema(
  prefix: string,
): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const server = postgresUrl();
  const schema = schemaName(prefix);
  const url = new URL(server);
  url.searchParams.set('schema', schema);
  return { url: url.toString(), schema, drop: () => dropSchema(server, schema) };
}

function schemaName(prefix: string): string {
  let clean = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, MAX_PREFIX);
  // An unquoted identifier must start with a letter or underscore; a letter reads better.
  if (!/^[a-z]/.test(clean)) clean = `s${clean}`.slice(0, MAX_PREFIX);
  // 48 random bits: the tests of parallel workers and earlier runs never collide.
  return `${clean}_${randomBytes(6).toString('hex')}`;
}

async function dropSchema(server: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: server, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    // IF EXISTS: a test that never opened a store has no schema to drop.
    await client.query(`drop schema if exists ${client.escapeIdentifier(schema)} cascade`);
  } finally {
    await client.end();
  }
}
