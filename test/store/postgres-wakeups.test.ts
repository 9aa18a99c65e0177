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

  it('turns a dropped pool connection into STORE_UNAVAILABLE, then works again', async () => {
    const fresh = await freshSchema('dropped');
    cleanups.push(fresh.drop);
    const store = await openPostgresStore({ url: fresh.url, poolSize: 1 });
    cleanups.push(() => store.close());
    await store.taskGet({ id: 'x' });
    const client = new pg.Client({ connectionString: postgresUrl() });
    await client.connect();
    await client.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE application_name = 'taskmill' AND pid <> pg_backend_pid()
         AND query LIKE '%FROM tasks WHERE id = $1%'`,
    );
    await client.end();
    // The idle client's death is noticed either by the pool (dropped before the next query) or
    // by the next query (an error): both are fine, a hang is not.
    const first = await store.taskGet({ id: 'x' }).then(
      () => null,
      (e: unknown) => e,
    );
    if (first !== null) expect(first).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(await store.taskGet({ id: 'x' })).toBeNull();
  });
});
