/**
 * PostgreSQL restarted (`pg_ctl restart -m fast`), then every backend terminated, while the test
 * submits and two worker processes run tasks. On a server of the test's own (see
 * private-postgres.ts): the shared one is in use by the other vitest worker.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTaskmill, type Taskmill, TaskmillError } from '../../src/index.ts';
import { ChildScript } from '../helpers/child-process.ts';
import {
  type PrivatePostgres,
  privateServerUnavailable,
  startPrivatePostgres,
} from '../helpers/private-postgres.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';
import type { PgChildConfig } from './child-worker.ts';
import { type PgLedgerLine, pgTasks, readPgLedger } from './pg-tasks.ts';

const CHILD = fileURLToPath(new URL('./child-worker.ts', import.meta.url));
/** Longer than the connect timeout (10 s) and a pg_ctl restart together would be a hang. */
const SUBMIT_BOUND_MS = 15_000;
const RECLAIM_WITHIN_MS = 5_000;
/** With a 60 s poll, only a NOTIFY can start a task this soon. */
const WAKE_WITHIN_MS = 2_000;
const QUEUES = ['a', 'b'] as const;

type PgTasks = ReturnType<typeof pgTasks>;

interface SubmitFailure {
  error: unknown;
  ms: number;
}

/** Submits in small batches, alternating queues, until `stop()`; never more than one call in
 * flight, each bounded so that a hang shows up as a failure of its own. */
class SubmitLoad {
  readonly acked = new Map<string, number>();
  readonly failures: SubmitFailure[] = [];
  readonly hangs: number[] = [];
  private seq = 0;
  private batches = 0;
  private stopped = false;
  private readonly mill: Taskmill<PgTasks>;
  readonly done: Promise<void>;

  constructor(mill: Taskmill<PgTasks>) {
    this.mill = mill;
    this.done = this.run();
  }

  stop(): Promise<void> {
    this.stopped = true;
    return this.done;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const batch = this.batches++;
      const queue = QUEUES[batch % 2] ?? 'a';
      const items = Array.from({ length: 1 + (batch % 4) }, () => ({
        type: 'pg.work' as const,
        input: { ms: 5 + Math.floor(Math.random() * 30), seq: this.seq++ },
        options: { queue },
      }));
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<'hang'>((resolve) => {
        timer = setTimeout(() => resolve('hang'), SUBMIT_BOUND_MS);
      });
      try {
        const result = await Promise.race([this.mill.submitMany(items), bound]);
        if (result === 'hang') this.hangs.push(started);
        else
          for (const [i, task] of result.entries())
            this.acked.set(task.id, items[i]?.input.seq ?? -1);
      } catch (error) {
        this.failures.push({ error, ms: Date.now() - started });
      } finally {
        clearTimeout(timer);
      }
      // Paced, so that the workers keep up and the backlog stays small.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

function failingWarnings(child: ChildScript): number {
  return child.stderr.split('the database is failing').length - 1;
}

function recoveredWarnings(child: ChildScript): number {
  return child.stderr.split('the database answers again').length - 1;
}

/**
 * An outage no worker can slip through: connections to the workers' database are refused from
 * before `cut` until every worker has reported the database failing `reports` times in all, so
 * each must see it, however its calls fell. Run on a connection to another database of the
 * server (template1), which a restart ends: one per step. Resolves when connections are allowed
 * again, with that moment.
 */
async function heldOutage(
  server: PrivatePostgres,
  workers: ChildScript[],
  reports: number,
  cut: (admin: (sql: string) => Promise<pg.QueryResult>) => Promise<void>,
): Promise<number> {
  const admin = async (sql: string) => {
    const url = new URL(server.url);
    url.pathname = '/template1';
    const client = new pg.Client({
      connectionString: url.toString(),
      connectionTimeoutMillis: 5_000,
    });
    await client.connect();
    try {
      return await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin('ALTER DATABASE postgres ALLOW_CONNECTIONS false');
  try {
    await cut(admin);
    await Promise.all(
      workers.map((w) =>
        waitFor(
          `worker ${w.pid} to report the outage (${reports} in all)`,
          () => failingWarnings(w) >= reports,
          { timeoutMs: 10_000 },
        ),
      ),
    );
  } finally {
    await admin('ALTER DATABASE postgres ALLOW_CONNECTIONS true');
  }
  return Date.now();
}

/** Wall-clock times of a worker's claims. */
function claimTimes(child: ChildScript): number[] {
  return child.lines.filter((l) => l.startsWith('claim ')).map((l) => Number(l.split(' ')[2]));
}

describe('PostgreSQL restarted under load', () => {
  let server: PrivatePostgres | null = null;
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  // A worker reports each outage once even when a pooled session the restart ended fails just
  // after the first query on a new one succeeded (src/worker/incident-log.ts).
  it('keeps every acknowledged task, fails callers fast, and reconnects workers by themselves', {
    timeout: 120_000,
  }, async ({ skip }) => {
    const unavailable = privateServerUnavailable();
    skip(unavailable !== null, unavailable ?? '');
    const phases: string[] = [];
    const note = (what: string) => phases.push(`${what} at +${Date.now() - t0} ms`);
    const t0 = Date.now();
    server = await startPrivatePostgres();
    const pgServer = server;
    cleanups.push(() => pgServer.stop());
    note('private server up');

    const folder = tempDir();
    cleanups.push(() => folder.remove());
    const ledger = join(folder.path, 'ledger.jsonl');
    const url = new URL(server.url);
    url.searchParams.set('schema', `restart_${randomBytes(4).toString('hex')}`);
    url.searchParams.set('pool', '4');
    const mill = await createTaskmill({
      database: url.toString(),
      dataDir: folder.path,
      tasks: pgTasks(null),
    });
    cleanups.push(() => mill.close());

    const workers = QUEUES.map((queue) => {
      const config: PgChildConfig = {
        database: url.toString(),
        dataDir: folder.path,
        ledger,
        worker: { queues: [queue], concurrency: 8, pollMs: 60_000, leaseMs: 4_000 },
      };
      const child = new ChildScript(CHILD, [JSON.stringify(config)]);
      cleanups.push(() => child.destroy());
      return child;
    });
    await Promise.all(
      workers.map((w) => w.waitForLine('ready', (l) => l.startsWith('ready '), 20_000)),
    );
    note('workers ready');

    const ledgerLines = (): PgLedgerLine[] => {
      try {
        return readPgLedger(readFileSync(ledger, 'utf8'));
      } catch {
        return [];
      }
    };
    const ends = () => ledgerLines().filter((l) => l.event === 'end').length;
    const load = new SubmitLoad(mill);
    cleanups.push(() => load.stop());
    await waitFor('50 tasks run before the restart', () => ends() >= 50, { timeoutMs: 10_000 });
    note('load flowing');

    // Outage 1: a fast restart, after which the database refuses connections until every worker
    // has reported it.
    const restartAt = Date.now();
    const backAt = await heldOutage(pgServer, workers, 1, () => pgServer.restart());
    note(`restarted, connections allowed again after ${backAt - restartAt} ms`);
    const reclaimed = (since: number, what: string) =>
      Promise.all(
        workers.map((w) =>
          waitFor(
            `worker ${w.pid} to claim again within ${RECLAIM_WITHIN_MS} ms of ${what}`,
            () => claimTimes(w).find((at) => at >= since),
            { timeoutMs: RECLAIM_WITHIN_MS },
          ).catch((error: unknown) => {
            throw new Error(
              `${String(error)}; alive: ${w.alive}; stdout tail: ${w.lines.slice(-5).join(' | ')}; ` +
                `stderr:\n${w.stderr}`,
            );
          }),
        ),
      );
    const afterRestart = await reclaimed(backAt, 'the restart');
    note(`claimed again after ${afterRestart.map((at) => at - backAt).join(', ')} ms`);
    // Every worker saw the outage: it reports it once, and its end once.
    const reported = (outages: number) =>
      Promise.all(
        workers.map((w) =>
          waitFor(
            `worker ${w.pid} to report the recovery of the outage it reported`,
            () => recoveredWarnings(w) >= outages,
            { timeoutMs: 10_000 },
          ),
        ),
      ).then(() =>
        expect(
          workers.map((w) => [failingWarnings(w), recoveredWarnings(w)]),
          `"database is failing" / "answers again" warnings per worker after outage ${outages}`,
        ).toEqual(workers.map(() => [outages, outages])),
      );
    await reported(1);

    // Outage 2: every session ended at once, the server itself staying up.
    const before = ends();
    await waitFor('50 more tasks run', () => ends() >= before + 50, { timeoutMs: 10_000 });
    let terminated = 0;
    // Claims that finished while the outage lasted may predate its end: count from there.
    const terminateAt = await heldOutage(pgServer, workers, 2, async (admin) => {
      terminated = Number(
        (
          await admin(
            `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS ended
             FROM pg_stat_activity WHERE datname = 'postgres'`,
          )
        ).rows[0]?.ended ?? 0,
      );
    });
    note(`terminated ${terminated} backends`);
    // Both workers' pools and LISTEN connections, and the test's own handle.
    expect(terminated, 'sessions ended').toBeGreaterThanOrEqual(workers.length * 2);
    const afterTerminate = await reclaimed(terminateAt, 'the termination');
    note(`claimed again after ${afterTerminate.map((at) => at - terminateAt).join(', ')} ms`);
    await reported(2);
    await waitFor('10 more tasks run', () => ends() >= before + 60, { timeoutMs: 10_000 });
    await load.stop();
    const codes = new Set(load.failures.map((f) => (f.error as { code?: unknown }).code));
    note(
      `submits: ${load.acked.size} acknowledged, ${load.failures.length} failed ` +
        `(codes ${[...codes].join(', ')}; slowest failure ${Math.max(0, ...load.failures.map((f) => f.ms))} ms)`,
    );

    expect(load.hangs, `submit calls that did not settle within ${SUBMIT_BOUND_MS} ms`).toEqual([]);
    expect(load.failures.length, 'the restart made some submits fail').toBeGreaterThan(0);
    for (const f of load.failures) {
      expect(f.error, `a failed submit: ${String(f.error)}`).toBeInstanceOf(TaskmillError);
      expect((f.error as TaskmillError).code).toMatch(/^[A-Z_]+$/);
    }

    // Every task stored (acknowledged or not: an ack lost to the outage may still have
    // committed) runs to completion; lease expiry re-runs the ones whose result was lost.
    const db = new pg.Client({ connectionString: server.url });
    await db.connect();
    cleanups.push(() => db.end());
    const schema = url.searchParams.get('schema') ?? '';
    const stored = async () =>
      (
        await db.query<{
          id: string;
          seq: number;
          status: string;
          completions: number;
          runs: number;
        }>(
          // An attempt is a row of executions, or the one the task row holds (the attempt that
          // ended the task, or the one running): docs/reference/store.md, where a task's record
          // lives.
          `SELECT t.id, (t.input->>'seq')::int AS seq, t.status,
             ((SELECT count(*) FROM ${schema}.executions e
               WHERE e.task_id = t.id AND e.outcome = 'completed')
              + CASE WHEN t.execution_id IS NOT NULL AND t.outcome = 'completed' THEN 1 ELSE 0 END
             )::int AS completions,
             ((SELECT count(*) FROM ${schema}.executions e WHERE e.task_id = t.id)
              + CASE WHEN t.execution_id IS NOT NULL THEN 1 ELSE 0 END)::int AS runs
           FROM ${schema}.tasks t`,
        )
      ).rows;
    await waitFor(
      'every stored task to complete',
      async () => (await stored()).every((r) => r.status === 'completed'),
      { timeoutMs: 30_000, everyMs: 200 },
    );
    const rows = await stored();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const missing = [...load.acked.keys()].filter((id) => !byId.has(id));
    expect(missing, 'acknowledged submits that were not stored').toEqual([]);
    const seqs = new Map<number, number>();
    for (const r of rows) seqs.set(r.seq, (seqs.get(r.seq) ?? 0) + 1);
    expect(
      [...seqs].filter(([, n]) => n > 1),
      'submits stored more than once (seq, copies)',
    ).toEqual([]);
    expect(
      rows.filter((r) => r.completions !== 1),
      'tasks without exactly one completed execution',
    ).toEqual([]);
    const lines = ledgerLines();
    const endsById = new Map<string, number>();
    for (const l of lines)
      if (l.event === 'end') endsById.set(l.taskId, (endsById.get(l.taskId) ?? 0) + 1);
    expect(
      rows.filter((r) => !endsById.has(r.id)).map((r) => r.id),
      'stored tasks whose handler never finished (ledger)',
    ).toEqual([]);
    // A handler that finished while its result could not be stored runs again after its lease
    // expires; that second run must be a recorded second execution, never a second completion.
    const reruns = rows.filter((r) => (endsById.get(r.id) ?? 0) > 1);
    expect(
      reruns.filter((r) => r.runs < (endsById.get(r.id) ?? 0)),
      'handler runs the store did not record as executions',
    ).toEqual([]);
    note(`${rows.length} stored, ${reruns.length} run twice after a lost result`);

    // LISTEN is back on both workers: with a 60 s poll only a NOTIFY starts these at once.
    for (const queue of QUEUES) {
      const submitted = Date.now();
      const task = await mill.submit('pg.work', { ms: 1 }, { queue });
      const start = await waitFor(
        `task on queue ${queue} to start within ${WAKE_WITHIN_MS} ms (LISTEN re-established)`,
        () => ledgerLines().find((l) => l.taskId === task.id && l.event === 'start'),
        { timeoutMs: WAKE_WITHIN_MS, everyMs: 10 },
      );
      note(`queue ${queue}: started ${start.at - submitted} ms after submit`);
    }

    note(`incident warnings per worker: ${workers.map(failingWarnings).join(', ')}`);
    for (const w of workers) {
      expect(
        failingWarnings(w),
        `worker ${w.pid}: one warning per outage, stderr:\n${w.stderr}`,
      ).toBe(2);
      expect(recoveredWarnings(w), `worker ${w.pid}: every incident closed`).toBe(2);
      expect(w.alive, `worker ${w.pid} still running, stderr:\n${w.stderr}`).toBe(true);
    }
    console.info(`restart under load:\n  ${phases.join('\n  ')}`);
  });
});
