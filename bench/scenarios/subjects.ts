/**
 * The queues under test behind one small interface, so every scenario drives taskmill and the
 * anchors (BullMQ, pg-boss, Graphile Worker) the same way: the same payload `{ i, t }`, the same
 * no-op handler, the same counts. Each run works in a namespace of its own (an SQLite file, a
 * PostgreSQL schema, a Redis key prefix) that `drop()` removes afterwards.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Logger, makeWorkerUtils, run as runGraphile, runMigrations } from 'graphile-worker';
import { Redis } from 'ioredis';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { createTaskmill, defineTask, type Taskmill } from '../../src/index.ts';
import { noop, noopInput } from './common.ts';

export interface Payload {
  i: number;
  /** Submit time (wall clock, ms) for the latency scenario. */
  t?: number;
}

export type Handler = (payload: Payload) => void;

export interface Producer {
  addMany(payloads: Payload[]): Promise<void>;
  add(payload: Payload): Promise<void>;
  close(): Promise<void>;
}

export interface Consumer {
  stop(): Promise<void>;
}

/** For several worker processes started together: connect, say `ready`, claim after `gate`. */
export interface StartGate {
  ready(): void;
  gate: Promise<void>;
}

export interface Subject {
  /** Create the namespace and run migrations, so no scenario times them. */
  prepare(): Promise<void>;
  producer(): Promise<Producer>;
  consume(concurrency: number, handler: Handler, start?: StartGate): Promise<Consumer>;
  /** Tasks not yet recorded as completed: the drain check after the last handler ran. */
  unsettled(): Promise<number>;
  drop(): Promise<void>;
}

export const SYSTEMS = ['taskmill-sqlite', 'taskmill-pg', 'bullmq', 'pg-boss', 'graphile'] as const;
export type System = (typeof SYSTEMS)[number];
export type Variant = 'defaults' | 'tuned';

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
export function pgUrl(): string {
  return process.env['TASKMILL_BENCH_DATABASE_URL'] || DEFAULT_PG_URL;
}
export const REDIS = { host: '127.0.0.1', port: 6379 };

const QUEUE = 'bench_noop';

function isPayload(value: unknown): value is Payload {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'i') === 'number';
}

async function sql<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: pgUrl() });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

async function dropSchema(schema: string): Promise<void> {
  await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

async function countRows(query: string): Promise<number> {
  const rows = await sql<{ n: number | string }>(query);
  return Number(rows[0]?.n ?? 0);
}

// --- taskmill -------------------------------------------------------------------------------

/** `pgSchema`: on PostgreSQL, count unfinished tasks straight from the partial indexes rather
 * than through `stats()`, which counts every row and would load the server it measures. */
function taskmill(url: string, remove: () => Promise<void>, pgSchema?: string): Subject {
  let statsMill: Taskmill | undefined;
  return {
    async prepare() {
      const mill = await createTaskmill({ database: url, tasks: [noop] });
      await mill.close();
    },
    async producer() {
      const mill = await createTaskmill({ database: url, tasks: [noop] });
      return {
        addMany: async (payloads) => {
          await mill.submitMany(payloads.map((input) => ({ type: 'bench.noop' as const, input })));
        },
        add: async (input) => {
          await mill.submit('bench.noop', input);
        },
        close: () => mill.close(),
      };
    },
    async consume(concurrency, handler, start) {
      const task = defineTask({
        name: 'bench.noop',
        input: noopInput,
        run: (input) => {
          handler(input);
          return null;
        },
      });
      const mill = await createTaskmill({ database: url, tasks: [task] });
      statsMill = mill;
      start?.ready();
      await start?.gate;
      await mill.startWorker({ concurrency, handleSignals: false });
      return { stop: () => mill.close() };
    },
    async unsettled() {
      if (pgSchema) {
        return countRows(
          `SELECT count(*) AS n FROM "${pgSchema}".tasks WHERE status IN ('queued', 'retrying', 'running')`,
        );
      }
      const mill = statsMill ?? (await createTaskmill({ database: url, tasks: [noop] }));
      statsMill = mill;
      const stats = await mill.stats();
      return stats.total - stats.byStatus.completed;
    },
    async drop() {
      await statsMill?.close().catch(() => {});
      await remove();
    },
  };
}

// --- BullMQ ---------------------------------------------------------------------------------

function bullmq(prefix: string, variant: Variant): Subject {
  // Its guide to production: keep a bounded number of finished jobs rather than all of them.
  const defaultJobOptions =
    variant === 'tuned' ? { removeOnComplete: 1000, removeOnFail: 5000 } : {};
  // BullMQ 6 loaded as an ES module takes a client instance; workers block on Redis, which
  // BullMQ requires to retry forever.
  const redis = () => new Redis({ ...REDIS, maxRetriesPerRequest: null });
  const queue = () => {
    const connection = redis();
    const q = new Queue<Payload>(QUEUE, { connection, prefix, defaultJobOptions });
    return {
      q,
      close: async () => {
        await q.close();
        connection.disconnect();
      },
    };
  };
  let shared: ReturnType<typeof queue> | undefined;
  return {
    async prepare() {
      const { q, close } = queue();
      await q.waitUntilReady();
      await close();
    },
    async producer() {
      const { q, close } = queue();
      return {
        addMany: async (payloads) => {
          await q.addBulk(payloads.map((data) => ({ name: QUEUE, data })));
        },
        add: async (data) => {
          await q.add(QUEUE, data);
        },
        close,
      };
    },
    async consume(concurrency, handler) {
      const connection = redis();
      const worker = new Worker<Payload>(
        QUEUE,
        async (job) => {
          handler(job.data);
        },
        { connection, prefix, concurrency },
      );
      await worker.waitUntilReady();
      return {
        stop: async () => {
          await worker.close();
          connection.disconnect();
        },
      };
    },
    async unsettled() {
      shared ??= queue();
      const counts = await shared.q.getJobCounts('wait', 'active', 'delayed', 'prioritized');
      return Object.values(counts).reduce((a, b) => a + b, 0);
    },
    async drop() {
      shared ??= queue();
      await shared.q.obliterate({ force: true });
      await shared.close();
    },
  };
}

// --- pg-boss --------------------------------------------------------------------------------

function pgBoss(schema: string, variant: Variant): Subject {
  const tuned = variant === 'tuned';
  const boss = () =>
    new PgBoss({
      connectionString: pgUrl(),
      schema,
      ...(tuned ? { useListenNotify: true } : {}),
    });
  return {
    async prepare() {
      const b = boss();
      await b.start();
      // LISTEN/NOTIFY wakes only workers of queues created with `notify`.
      await b.createQueue(QUEUE, tuned ? { notify: true } : {});
      await b.stop({ graceful: false });
    },
    async producer() {
      const b = boss();
      await b.start();
      return {
        addMany: async (payloads) => {
          await b.insert(
            QUEUE,
            payloads.map((data) => ({ data })),
          );
        },
        add: async (data) => {
          await b.send(QUEUE, data);
        },
        close: () => b.stop({ graceful: false }),
      };
    },
    async consume(concurrency, handler) {
      const b = boss();
      b.on('error', (e) => process.stderr.write(`pg-boss: ${String(e)}\n`));
      await b.start();
      const run = async (jobs: { data: unknown }[]) => {
        for (const job of jobs) if (isPayload(job.data)) handler(job.data);
      };
      if (tuned) {
        // Batches of 32 fetched in one statement and completed in one; a full batch fetches the
        // next at once. At most `concurrency` handlers run at a time, as in every other row.
        await b.work(
          QUEUE,
          {
            batchSize: 32,
            burstWhenBatchFull: true,
            localConcurrency: Math.max(1, Math.floor(concurrency / 32)),
          },
          run,
        );
      } else {
        await b.work(QUEUE, { localConcurrency: concurrency }, run);
      }
      return { stop: () => b.stop({ graceful: true, timeout: 5000 }) };
    },
    unsettled: () =>
      countRows(
        `SELECT count(*) AS n FROM "${schema}".job WHERE state::text IN ('created', 'retry', 'active')`,
      ),
    drop: () => dropSchema(schema),
  };
}

// --- Graphile Worker ------------------------------------------------------------------------

const quiet = new Logger(() => () => {});

function graphile(schema: string, variant: Variant): Subject {
  const tuned = variant === 'tuned';
  const connectionString = pgUrl();
  return {
    async prepare() {
      await runMigrations({ connectionString, schema, logger: quiet });
    },
    async producer() {
      const utils = await makeWorkerUtils({ connectionString, schema, logger: quiet });
      return {
        addMany: async (payloads) => {
          await utils.addJobs(payloads.map((payload) => ({ identifier: QUEUE, payload })));
        },
        add: async (payload) => {
          await utils.addJob(QUEUE, payload);
        },
        close: async () => {
          await utils.release();
        },
      };
    },
    async consume(concurrency, handler) {
      const runner = await runGraphile({
        connectionString,
        schema,
        concurrency,
        noHandleSignals: true,
        logger: quiet,
        taskList: {
          [QUEUE]: async (payload) => {
            if (isPayload(payload)) handler(payload);
          },
        },
        // Its performance page: a local queue to fetch jobs in batches, completions batched,
        // and a pool large enough for every concurrent job.
        ...(tuned
          ? {
              maxPoolSize: Math.max(10, concurrency + 2),
              preset: {
                worker: {
                  localQueue: { size: Math.max(concurrency + 1, 500) },
                  completeJobBatchDelay: 0,
                  failJobBatchDelay: 0,
                },
              },
            }
          : {}),
      });
      return { stop: () => runner.stop() };
    },
    unsettled: () => countRows(`SELECT count(*) AS n FROM "${schema}"._private_jobs`),
    drop: () => dropSchema(schema),
  };
}

/** `ns` names the run's own database, schema or key prefix; the parent process chooses it and
 * hands it to its children. */
export function subject(system: System, variant: Variant, ns: string): Subject {
  switch (system) {
    case 'taskmill-sqlite': {
      const file = join(tmpdir(), `${ns}.db`);
      return taskmill(`sqlite:${file}`, async () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
      });
    }
    case 'taskmill-pg':
      return taskmill(withParams(pgUrl(), { schema: ns }), () => dropSchema(ns), ns);
    case 'bullmq':
      return bullmq(ns, variant);
    case 'pg-boss':
      return pgBoss(ns, variant);
    case 'graphile':
      return graphile(ns, variant);
  }
}

function withParams(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

export function isSystem(s: string): s is System {
  return (SYSTEMS as readonly string[]).includes(s);
}
