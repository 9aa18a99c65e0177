import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type EmbeddedHandles, startEmbedded } from './embedded-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    /** The embedded server's handles, for tests that stop or restart a server; null when
     * `TASKMILL_TEST_DATABASE_URL` names an outside server, which tests must leave alone. */
    embeddedPostgres: EmbeddedHandles | null;
  }
}

const ENV_URL = 'TASKMILL_TEST_DATABASE_URL';

/**
 * Vitest global setup: one PostgreSQL server for the whole run, provided as `postgresUrl`.
 * The returned function is vitest's teardown; it runs after failed runs too.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fromEnv = process.env[ENV_URL];
  if (fromEnv) {
    await checkServerAnswers(fromEnv);
    project.provide('postgresUrl', fromEnv);
    project.provide('embeddedPostgres', null);
    return async () => {};
  }
  const server = await startEmbedded();
  project.provide('postgresUrl', server.url);
  project.provide('embeddedPostgres', server.handles);
  return server.stop;
}

async function checkServerAnswers(url: string): Promise<void> {
  let client: pg.Client;
  try {
    client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  } catch (error) {
    throw new Error(`${ENV_URL} is not a PostgreSQL URL: ${reason(error)}`);
  }
  // Named from the parsed settings, so the password never reaches the message.
  const where = `${client.host}:${client.port}`;
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(`${ENV_URL}: cannot query PostgreSQL at ${where}: ${reason(error)}`);
  } finally {
    await client.end().catch(() => {});
  }
}

function reason(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
