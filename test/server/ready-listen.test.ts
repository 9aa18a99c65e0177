import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/serve.ts';
import { apiTasks } from '../fixtures/api-tasks.ts';
import { POSTGRES } from '../helpers/backends.ts';
import { useMills } from '../helpers/mill.ts';
import { postgresUrl } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait-for.ts';

/** Ends this schema's LISTEN sessions, as a server restart or an admin would; how many. */
async function terminateListeners(client: pg.Client, schema: string): Promise<number> {
  const result = await client.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
     WHERE application_name = 'taskmill' AND starts_with(query, $1)`,
    // The session's last statement: LISTEN on one of this schema's channels.
    [`LISTEN "${schema}_`],
  );
  return result.rows.length;
}

describe('readiness on PostgreSQL', () => {
  const open = useMills(POSTGRES);

  it('is not ready while the LISTEN connection is down, and ready again once it is back', async () => {
    const mill = await open(apiTasks);
    const worker = await mill.startWorker({ handleSignals: false });
    const server = await startServer(mill, { port: 0, worker });
    const ready = async () => {
      const response = await fetch(`${server.url}/health/ready`);
      return { status: response.status, body: (await response.json()) as object };
    };
    try {
      await waitFor('ready with LISTEN up', async () => (await ready()).status === 200);
      expect((await ready()).body).toMatchObject({
        status: 'ok',
        checks: { database: 'ok', worker: 'ok', listen: 'ok' },
        dependencies: [
          { name: 'store', state: 'up', required: true, latencyMs: expect.any(Number) },
          { name: 'worker', state: 'up', required: true },
          { name: 'wakeups', state: 'up', required: true },
        ],
        endpoints: [],
      });

      const schema = new URL(mill.dbUrl).searchParams.get('schema') ?? '';
      const admin = new pg.Client({ connectionString: postgresUrl() });
      await admin.connect();
      // Each reconnect is ended again at once, so the connection is down most of the time.
      let cutting = true;
      const cutter = (async () => {
        while (cutting) {
          await terminateListeners(admin, schema);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      try {
        const down = await waitFor('a 503 naming the LISTEN connection', async () => {
          const answer = await ready();
          return answer.status === 503 ? answer.body : undefined;
        });
        expect(down).toMatchObject({
          status: 'unavailable',
          checks: { database: 'ok', worker: 'ok', listen: 'not connected (reconnecting)' },
          dependencies: [
            { name: 'store', state: 'up' },
            { name: 'worker', state: 'up' },
            { name: 'wakeups', state: 'down', detail: 'not connected (reconnecting)' },
          ],
        });
      } finally {
        cutting = false;
        await cutter;
        await admin.end();
      }
      await waitFor('ready again after the reconnect', async () => (await ready()).status === 200);
    } finally {
      await server.close();
    }
  });
});
