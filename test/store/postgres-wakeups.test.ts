import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/core/ids.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { freshSchema, postgresUrl } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait-for.ts';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Ends the server sessions that LISTEN on `channel`, as a server restart or an admin would. */
async function terminateListeners(channel: string): Promise<number> {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    const result = await client.query<{ ended: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
       WHERE application_name = 'taskmill' AND query = $1`,
      [`LISTEN "${channel}"`],
    );
    return result.rows.length;
  } finally {
    await client.end();
  }
}

describe('postgres wake-ups when the LISTEN connection drops', () => {
  it('reconnects by itself, reports once, and hears later inserts', async () => {
    const fresh = await freshSchema('wakeups');
    cleanups.push(fresh.drop);
    const store = await openPostgresStore({ url: fresh.url, poolSize: 2 });
    cleanups.push(() => store.close());
    const peer = await openPostgresStore({ url: fresh.url, poolSize: 2 });
    cleanups.push(() => peer.close());

    let calls = 0;
    const unsubscribe = store.wakeupSubscribe({ listener: () => calls++ });
    cleanups.push(async () => unsubscribe());
    await waitFor('listening', () => calls >= 1);

    expect(await terminateListeners(`${fresh.schema}_wakeup`)).toBe(1);
    await waitFor('the reconnect report', () => calls >= 2);

    const now = Date.now();
    await peer.taskInsert({
      now,
      tasks: [
        {
          id: uuidv7(),
          type: 'echo',
          queue: 'default',
          priority: 2,
          status: 'queued',
          input: {},
          maxAttempts: 1,
          runAt: now,
          idempotencyKey: null,
          inputHash: null,
        },
      ],
    });
    await waitFor('a wake-up after the reconnect', () => calls >= 3);
  });

  /**
   * A store of its own on a fresh schema whose sessions carry a name of their own, so that only
   * they are ended, never those of the tests running beside this one on the same server.
   */
  async function taggedStore(prefix: string) {
    const fresh = await freshSchema(prefix);
    cleanups.push(fresh.drop);
    const url = new URL(fresh.url);
    url.searchParams.set('application_name', fresh.schema);
    const store = await openPostgresStore({ url: url.toString(), poolSize: 1 });
    cleanups.push(() => store.close());
    const admin = new pg.Client({ connectionString: postgresUrl() });
    await admin.connect();
    cleanups.push(() => admin.end());
    const sessions = async (where: string) =>
      (
        await admin.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND ${where}`,
          [fresh.schema],
        )
      ).rows.map((r) => r.pid);
    const terminate = async (where: string) =>
      (
        await admin.query<{ ended: boolean }>(
          `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
           WHERE application_name = $1 AND ${where}`,
          [fresh.schema],
        )
      ).rows.filter((r) => r.ended).length;
    return { fresh, store, admin, sessions, terminate };
  }

  it('drops an idle pool connection the server ended, without failing the next query', async () => {
    const { store, sessions, terminate } = await taggedStore('dropped_idle');
    await store.taskGet({ id: 'x' });
    const before = await sessions('true');
    expect(before, 'the pool of 1 has one session').toHaveLength(1);
    expect(await terminate(`query LIKE '%FROM tasks WHERE id = $1%'`)).toBe(1);
    await waitFor('the session to end', async () => (await sessions('true')).length === 0);
    // The server's FATAL notice reaches the idle client on a later turn of the event loop than
    // the admin's answer may (seen under load): the pool drops the client once it reads it.
    const pool = (store as unknown as { conn: { pool: pg.Pool } }).conn.pool;
    await waitFor('the pool to drop the ended client', () => pool.totalCount === 0);
    expect(await store.taskGet({ id: 'x' })).toBeNull();
    const after = await sessions('true');
    expect(after).toHaveLength(1);
    expect(after[0], 'a new session').not.toBe(before[0]);
  });

  it('turns a pool connection ended mid-query into STORE_UNAVAILABLE, then works again', async () => {
    const { fresh, store, admin, sessions, terminate } = await taggedStore('dropped_busy');
    await store.taskGet({ id: 'x' });
    // The query waits for a lock the test holds, so it is running when its session is ended.
    await admin.query('BEGIN');
    await admin.query(`LOCK TABLE ${admin.escapeIdentifier(fresh.schema)}.tasks`);
    const pending = store.taskGet({ id: 'x' }).then(
      () => null,
      (e: unknown) => e,
    );
    await waitFor(
      'the query to wait for the lock',
      async () => (await sessions(`wait_event_type = 'Lock'`)).length === 1,
    );
    expect(await terminate(`wait_event_type = 'Lock'`)).toBe(1);
    await admin.query('ROLLBACK');
    expect(await pending).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(await store.taskGet({ id: 'x' })).toBeNull();
  });
});
