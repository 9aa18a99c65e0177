/**
 * Submit inside the caller's PostgreSQL transaction, and the caller dies before its commit:
 * 100 processes, each SIGKILLed with its transaction open, in batches of ten. While they hold it
 * open, a polling worker sees none of their tasks; after the kill, nothing of them is stored.
 */

import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { POSTGRES } from '../helpers/backends.ts';
import { ChildScript } from '../helpers/child-process.ts';
import { postgresUrl } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { useFaultHarness } from './harness.ts';

const CHILD = fileURLToPath(new URL('./child-open-transaction.ts', import.meta.url));
const BATCHES = 10;
const PER_BATCH = 10;

describe('a caller killed inside its transaction (PostgreSQL)', () => {
  const harness = useFaultHarness({ backend: POSTGRES });

  it(`leaves nothing behind, and no worker ever sees the task: ${BATCHES * PER_BATCH} trials`, async () => {
    const env = await harness.env();
    const claimed = new Set<string>();
    env.mill.on('task.status', (e) => {
      if (e.to === 'running') claimed.add(e.taskId);
    });
    await env.mill.startWorker({ handleSignals: false, pollMs: 20, concurrency: 4 });
    const watcher = new pg.Client({ connectionString: postgresUrl() });
    await watcher.connect();
    const seenIds: string[] = [];
    try {
      for (let batch = 0; batch < BATCHES; batch++) {
        const children = Array.from(
          { length: PER_BATCH },
          () =>
            new ChildScript(CHILD, [
              JSON.stringify({
                database: env.url,
                dataDir: env.dataDir,
                ledger: env.ledger,
                server: postgresUrl(),
              }),
            ]),
        );
        const open = await Promise.all(
          children.map((c) =>
            // Ten processes starting at once on two cores beside another test file: CI's full
            // run once kept one from its open transaction past 20 s.
            c.waitForLine('an open transaction', (l) => l.startsWith('open '), 60_000),
          ),
        );
        const ids = open.map((line) => line.split(' ')[1] as string);
        const backends = open.map((line) => Number(line.split(' ')[2]));
        seenIds.push(...ids);
        // A task committed after theirs: once the worker has run it, it has polled past them.
        const marker = await env.mill.submit('fault.work', { ms: 1 });
        await env.mill.wait(marker.id, { timeoutMs: 10_000 });
        for (const id of ids) {
          await expect(env.mill.get(id)).rejects.toMatchObject({ code: 'TASK_NOT_FOUND' });
        }
        await Promise.all(children.map((c) => c.destroy()));
        // The server ends a session whose client died; its transaction is rolled back with it.
        await waitFor(
          'the killed sessions to end',
          async () => {
            const { rows } = await watcher.query<{ n: number }>(
              'select count(*)::int as n from pg_stat_activity where pid = any($1::int[])',
              [backends],
            );
            return rows[0]?.n === 0;
          },
          { timeoutMs: 10_000 },
        );
      }
      expect(seenIds).toHaveLength(BATCHES * PER_BATCH);
      expect(new Set(seenIds).size).toBe(BATCHES * PER_BATCH);
      for (const id of seenIds) {
        await expect(env.mill.get(id)).rejects.toMatchObject({ code: 'TASK_NOT_FOUND' });
        expect(claimed.has(id)).toBe(false);
      }
      // Only the markers were ever stored.
      const all = await env.mill.list({ limit: 1000 });
      expect(all.tasks).toHaveLength(BATCHES);
      expect(all.tasks.every((t) => t.status === 'completed')).toBe(true);
    } finally {
      await watcher.end();
    }
  }, 300_000);
});
