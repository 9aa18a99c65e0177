/**
 * A settlement whose statement starts while another write to the same task row is still open
 * (a lease renewal or a progress report from another connection) waits for that write, then
 * must settle the row as it stands after it. Both ways the adapter settles are covered: the one
 * statement on a claim connection (pool above 2) and the transaction (pool of 2, no claim
 * connections).
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  insertTask,
  LEASE_MS,
  mustGet,
  settlementFor,
  T0,
  WORKER_A,
} from '../../src/store/conformance/factories.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { freshSchema, postgresUrl } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait-for.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe.each([
  { poolSize: 4, path: 'the claim-connection statement' },
  { poolSize: 2, path: 'the transaction' },
])('postgres settle racing another write, through $path', ({ poolSize }) => {
  it('settles once the other write commits, not as a lost lease', async () => {
    const fresh = await freshSchema('settle_race');
    cleanups.push(fresh.drop);
    const store = await openPostgresStore({ url: fresh.url, poolSize });
    cleanups.push(() => store.close());
    const running = await insertTask(store, { status: 'running' });
    const claimed = running.claim;
    if (claimed === null) throw new Error('insertTask running: no claim');

    const other = new pg.Client({ connectionString: postgresUrl() });
    await other.connect();
    cleanups.push(() => other.end());
    // Watched from a third connection: inside the open transaction, pg_stat_activity would show
    // the snapshot its first read took.
    const watch = new pg.Client({ connectionString: postgresUrl() });
    await watch.connect();
    cleanups.push(() => watch.end());
    const schema = other.escapeIdentifier(fresh.schema);
    // An open transaction renews the lease, as a heartbeat on another connection would.
    await other.query('BEGIN');
    await other.query(`UPDATE ${schema}.tasks SET lease_expires_at = $1 WHERE id = $2`, [
      T0 + 2 * LEASE_MS,
      running.id,
    ]);
    const settling = store.taskSettle({
      now: T0 + 1000,
      workerId: WORKER_A,
      items: [settlementFor(claimed, { output: { done: true } })],
    });
    // The settle has taken its snapshot and waits on the row lock the open transaction holds.
    await waitFor('the settle to wait on the row lock', async () => {
      const r = await watch.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'
            AND query LIKE '%settle-claim%'`,
      );
      return (r.rows[0]?.n ?? 0) > 0;
    });
    await other.query('COMMIT');

    expect(await settling).toEqual([{ ok: true, from: 'running', to: 'completed' }]);
    const task = await mustGet(store, running.id);
    expect(task.status).toBe('completed');
    expect(task.output).toEqual({ done: true });
  });
});
