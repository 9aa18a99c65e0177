/**
 * Migration 0003 gives tasks their own timeouts. Tasks written by schema version 2 have none:
 * after the upgrade they read back with `timeout: null` (their type's apply) and run on, while new
 * tasks keep the timeouts they are given.
 */
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { newTask } from '../../src/store/conformance/factories.ts';
import type { Store } from '../../src/store/contract.ts';
import { PgConnection } from '../../src/store/postgres/connection.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import {
  migrate as pgMigrate,
  loadMigrations as pgMigrations,
} from '../../src/store/postgres/migrate.ts';
import { SqliteConnection } from '../../src/store/sqlite/connection.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import {
  migrate as sqliteMigrate,
  loadMigrations as sqliteMigrations,
} from '../../src/store/sqlite/migrate.ts';
import { freshSchema } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const T = Date.UTC(2026, 0, 1);
const OLD = '0190a000-0000-7000-8000-000000000001';
/** A queued task as version 2 wrote it. */
const V2_ROW = `INSERT INTO tasks (id, type, queue, priority, status, input, attempt, max_attempts,
  run_at, created_at, updated_at, seq, submitted_as)
  VALUES ('${OLD}', 'email', 'default', 2, 'queued', '{"n":1}', 0, 3, ${T}, ${T}, ${T}, 1, 'queued')`;

async function checkUpgraded(store: Store): Promise<void> {
  expect(store.schema.version).toBeGreaterThanOrEqual(3);
  expect(await store.taskGet({ id: OLD })).toMatchObject({ status: 'queued', timeout: null });
  const fresh = newTask({ type: 'email', timeout: { hardMs: 100 } });
  await store.taskInsert({ now: T, tasks: [fresh] });
  const claimed = await store.taskClaim({
    now: T + 1,
    workerId: 'w1',
    limit: 5,
    types: ['email'],
    queues: null,
    leaseMs: 1000,
  });
  expect(claimed.map((c) => [c.task.id, c.task.timeout])).toEqual([
    [OLD, null],
    [fresh.id, { hardMs: 100 }],
  ]);
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('migration 0003 on data written by version 2', () => {
  it('sqlite: old tasks have no timeout of their own, new ones keep theirs', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const path = `${dir.path}/v2.db`;
    const conn = new SqliteConnection(new DatabaseSync(path));
    await sqliteMigrate(conn, sqliteMigrations().slice(0, 2), path);
    conn.exec(V2_ROW);
    conn.close();
    const store = await openSqliteStore({ path });
    cleanups.push(() => store.close());
    await checkUpgraded(store);
  });

  it('postgres: old tasks have no timeout of their own, new ones keep theirs', async () => {
    const fresh = await freshSchema('migrate_v2');
    cleanups.push(fresh.drop);
    const url = new URL(fresh.url);
    url.searchParams.delete('schema');
    const conn = new PgConnection({ connectionString: url.toString(), schema: fresh.schema }, 1);
    await pgMigrate(conn, pgMigrations().slice(0, 2), fresh.schema);
    await conn.close();
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await client.query(`SET search_path = ${client.escapeIdentifier(fresh.schema)}`);
    await client.query(V2_ROW);
    await client.end();
    const store = await openPostgresStore({ url: fresh.url });
    cleanups.push(() => store.close());
    await checkUpgraded(store);
  });
});
