/**
 * Connection budget: many slots on a small pool must queue for connections, never deadlock;
 * many processes must stay within pool + 1 LISTEN connection each.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTaskmill } from '../../src/index.ts';
import { loadMigrations } from '../../src/store/postgres/migrate.ts';
import { ChildScript } from '../helpers/child-process.ts';
import { freshSchema, postgresUrl } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';
import type { PgChildConfig } from './child-worker.ts';
import { pgTasks, readPgLedger } from './pg-tasks.ts';

const CHILD = fileURLToPath(new URL('./child-worker.ts', import.meta.url));

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function adminClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  cleanups.push(() => client.end());
  return client;
}

async function countWhere(client: pg.Client, sql: string, values: unknown[] = []): Promise<number> {
  return (await client.query<{ n: number }>(sql, values)).rows[0]?.n ?? 0;
}

function submitItems(count: number, ms: () => number, chatty: boolean) {
  return Array.from({ length: count }, () => ({
    type: 'pg.work' as const,
    input: { ms: ms(), chatty },
  }));
}

describe('PostgreSQL connection budget', () => {
  it('runs concurrency 50 on a pool of 4 without starving claims, heartbeats or settles', async () => {
    const TASKS = 3_000;
    const LEASE_MS = 2_000;
    const HEARTBEAT_MS = 200;
    const fresh = await freshSchema('budget_pool');
    cleanups.push(fresh.drop);
    const folder = tempDir();
    cleanups.push(() => folder.remove());
    // Every handler run, however the store recorded it: the count of re-runs.
    const ledger = join(folder.path, 'ledger.jsonl');
    const url = new URL(fresh.url);
    url.searchParams.set('pool', '4');
    const mill = await createTaskmill({
      database: url.toString(),
      dataDir: folder.path,
      tasks: pgTasks(ledger),
    });
    cleanups.push(() => mill.close());
    const admin = await adminClient();
    const tasks = `${admin.escapeIdentifier(fresh.schema)}.tasks`;
    const workersTable = `${admin.escapeIdentifier(fresh.schema)}.workers`;

    for (let i = 0; i < TASKS; i += 1_000) {
      await mill.submitMany(submitItems(1_000, () => Math.floor(Math.random() * 10), true));
    }
    const lost: string[] = [];
    mill.on('lease.lost', (e) => lost.push(`${e.taskId} (${e.what})`));
    const started = Date.now();
    const worker = await mill.startWorker({
      concurrency: 50,
      leaseMs: LEASE_MS,
      heartbeatMs: HEARTBEAT_MS,
      handleSignals: false,
    });
    cleanups.push(() => worker.stop({ graceMs: 1_000 }));

    // The heartbeat's own row, read on a connection of the test's: the gaps between the moments
    // it moved say whether the heartbeat got a pooled connection in time.
    let lastBeat = 0;
    let lastMovedAt = Date.now();
    let widestGap = 0;
    let completed = 0;
    await waitFor(
      `${TASKS} tasks to complete`,
      async () => {
        const beat = Number(
          (
            await admin.query<{ at: string }>(
              `SELECT last_heartbeat_at AS at FROM ${workersTable} WHERE id = $1`,
              [worker.id],
            )
          ).rows[0]?.at ?? 0,
        );
        if (beat !== lastBeat) {
          widestGap = Math.max(widestGap, Date.now() - lastMovedAt);
          lastBeat = beat;
          lastMovedAt = Date.now();
        }
        completed = await countWhere(
          admin,
          `SELECT count(*)::int AS n FROM ${tasks} WHERE status = 'completed'`,
        );
        return completed === TASKS;
      },
      { timeoutMs: 60_000, everyMs: 50 },
    ).catch((error: unknown) => {
      throw new Error(
        `${String(error)}: ${completed} completed, widest heartbeat gap ${widestGap} ms`,
      );
    });
    const elapsed = Date.now() - started;
    // No lease may be lost here: neither to a starved pool (the task would run again) nor
    // falsely, to a renewal or log write racing the worker's own settle.
    const starved = lost.filter((l) => !l.endsWith('(progress/log)'));
    // A task run twice: started twice by a handler, or with an attempt before its last one
    // recorded (a crash or a lost lease recovered keeps the attempt number, so that says nothing).
    const starts = readPgLedger(readFileSync(ledger, 'utf8')).filter((l) => l.event === 'start');
    const startedTwice = starts.length - new Set(starts.map((l) => l.taskId)).size;
    const earlierAttempts = await countWhere(
      admin,
      `SELECT count(*)::int AS n FROM ${admin.escapeIdentifier(fresh.schema)}.executions`,
    );
    const withoutLog = await countWhere(
      admin,
      `SELECT count(*)::int AS n FROM ${tasks} t WHERE NOT EXISTS
         (SELECT 1 FROM ${admin.escapeIdentifier(fresh.schema)}.task_logs l WHERE l.task_id = t.id)`,
    );
    console.info(
      `pool 4, concurrency 50: ${TASKS} tasks in ${elapsed} ms, widest heartbeat gap ${widestGap} ms; ` +
        `${lost.length - starved.length} progress/log writes refused as lease lost, ` +
        `${withoutLog} completed tasks without their log line; other losses by kind: ` +
        JSON.stringify(
          Object.fromEntries(
            [...new Set(starved.map((l) => l.split(' ')[1]))].map((k) => [
              k,
              starved.filter((l) => l.split(' ')[1] === k).length,
            ]),
          ),
        ),
    );
    expect(starts, 'handler starts').toHaveLength(TASKS);
    expect(
      { startedTwice, earlierAttempts },
      'handlers started twice, attempts recorded besides the last',
    ).toEqual({ startedTwice: 0, earlierAttempts: 0 });
    expect(withoutLog, 'completed tasks whose log line was refused').toBe(0);
    expect(lost, 'lease.lost events').toEqual([]);
    // Past a lease the sweeper would take tasks away from a live worker.
    expect(widestGap, 'widest gap between heartbeats landing (ms)').toBeLessThan(LEASE_MS);
  }, 90_000);

  it('starts 20 worker processes at once within 20 × (pool 2 + 1 LISTEN) connections', async () => {
    const PROCESSES = 20;
    const POOL = 2;
    const TASKS = 2_000;
    const BUDGET = PROCESSES * (POOL + 1);
    const fresh = await freshSchema('budget_procs');
    cleanups.push(fresh.drop);
    const folder = tempDir();
    cleanups.push(() => folder.remove());
    const ledger = join(folder.path, 'ledger.jsonl');
    // The workers' sessions carry a name of their own, so the count leaves out the test's
    // sessions and those of the tests running beside this one on the same server.
    const tag = `budget_${randomBytes(4).toString('hex')}`;
    const workerUrl = new URL(fresh.url);
    workerUrl.searchParams.set('pool', String(POOL));
    workerUrl.searchParams.set('application_name', tag);

    const sampler = await adminClient();
    let samples = 0;
    let most = 0;
    let sampling = true;
    const sampled = (async () => {
      while (sampling) {
        const n = await countWhere(
          sampler,
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND application_name = $1`,
          [tag],
        );
        samples++;
        most = Math.max(most, n);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    cleanups.push(() => {
      sampling = false;
      return sampled;
    });

    const children = Array.from({ length: PROCESSES }, (_, i) => {
      const config: PgChildConfig = {
        database: workerUrl.toString(),
        dataDir: folder.path,
        ledger,
        worker: { concurrency: 4, pollMs: 500, name: `budget-${i}` },
      };
      const child = new ChildScript(CHILD, [JSON.stringify(config)]);
      cleanups.push(() => child.destroy());
      return child;
    });
    // All twenty open an unmigrated schema at once: every one must get through its migration.
    const ready = await Promise.all(
      children.map((c) => c.waitForLine('ready', (l) => l.startsWith('ready '), 60_000)),
    );
    const ids = ready.map((line) => line.split(' ')[2]);

    const mill = await createTaskmill({
      database: fresh.url,
      dataDir: folder.path,
      tasks: pgTasks(null),
      workerTimeoutMs: 10_000,
    });
    cleanups.push(() => mill.close());
    const online = (await mill.workers()).filter((w) => w.state === 'online').map((w) => w.id);
    expect(online.sort(), 'every process registered and online').toEqual([...ids].sort());
    const admin = await adminClient();
    const schema = admin.escapeIdentifier(fresh.schema);
    const migrations = (
      await admin.query<{ version: number }>(
        `SELECT version FROM ${schema}.taskmill_migrations ORDER BY version`,
      )
    ).rows.map((r) => r.version);
    expect(migrations, 'each migration recorded once').toEqual(
      loadMigrations().map((m) => m.version),
    );

    const acked = new Set<string>();
    for (let i = 0; i < TASKS; i += 200) {
      for (const t of await mill.submitMany(
        submitItems(200, () => Math.floor(Math.random() * 5), false),
      ))
        acked.add(t.id);
    }
    const finished = () => {
      let text = '';
      try {
        text = readFileSync(ledger, 'utf8');
      } catch {
        return new Set<string>();
      }
      return new Set(
        readPgLedger(text)
          .filter((l) => l.event === 'end')
          .map((l) => l.taskId),
      );
    };
    await waitFor(`all ${TASKS} tasks to finish`, () => finished().size >= TASKS, {
      timeoutMs: 60_000,
      everyMs: 100,
    });
    const completed = await countWhere(
      admin,
      `SELECT count(*)::int AS n FROM ${schema}.tasks WHERE status = 'completed'`,
    );
    await waitFor(
      'the last settles',
      async () =>
        (await countWhere(
          admin,
          `SELECT count(*)::int AS n FROM ${schema}.tasks WHERE status = 'completed'`,
        )) === TASKS,
    );
    sampling = false;
    await sampled;
    const ran = new Set(
      readPgLedger(readFileSync(ledger, 'utf8'))
        .filter((l) => l.event === 'start')
        .map((l) => l.pid),
    );
    console.info(
      `20 processes: peak ${most} connections of budget ${BUDGET} over ${samples} samples; ` +
        `${ran.size} processes ran tasks; ${completed} completed when the ledger was full`,
    );
    expect(
      [...acked].filter((id) => !finished().has(id)),
      'tasks never finished',
    ).toEqual([]);
    expect(most, `peak connections of the 20 processes (${samples} samples)`).toBeLessThanOrEqual(
      BUDGET,
    );
    expect(samples, 'the sampler kept sampling').toBeGreaterThan(10);
    // The tag reaches pg_stat_activity: with all twenty online, each held at least its LISTEN
    // connection, so the sampler saw at least one per process.
    expect(most, 'peak connections seen with the tag').toBeGreaterThanOrEqual(PROCESSES);
    for (const c of children) expect(c.alive, `pid ${c.pid} stderr:\n${c.stderr}`).toBe(true);
  }, 150_000);
});
