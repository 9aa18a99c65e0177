/**
 * The queues under test behind one small interface, so every scenario drives taskmill and the
 * anchors (BullMQ, pg-boss, Graphile Worker) the same way: the same payload `{ i, t }`, the same
 * no-op handler, the same counts. Each run works in a namespace of its own (an SQLite file, a
 * PostgreSQL schema, a MariaDB database, a Redis key prefix) that `drop()` removes afterwards. Each system's module
 * (`subjects/*.ts`) is imported only by the process that measures it, so a measured process holds
 * no other queue's code: its memory is its own.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  /** After a fill, before the worker starts: on PostgreSQL, `ANALYZE` the namespace's tables
   * (see `analyzeSchema`); elsewhere nothing. Returns the tables analysed. */
  analyze(): Promise<string[]>;
  drop(): Promise<void>;
}

export const SYSTEMS = [
  'taskmill-sqlite',
  'taskmill-pg',
  'taskmill-mysql',
  'bullmq',
  'pg-boss',
  'graphile',
] as const;
export type System = (typeof SYSTEMS)[number];
export type Variant = 'defaults' | 'tuned';

export const REDIS = { host: '127.0.0.1', port: 6379 };

export const QUEUE = 'bench_noop';

export function isPayload(value: unknown): value is Payload {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'i') === 'number';
}

/** `ns` names the run's own database, schema or key prefix; the parent process chooses it and
 * hands it to its children. */
export async function subject(system: System, variant: Variant, ns: string): Promise<Subject> {
  switch (system) {
    case 'taskmill-sqlite': {
      const { taskmill } = await import('./subjects/taskmill.ts');
      const file = join(tmpdir(), `${ns}.db`);
      return taskmill({
        url: `sqlite:${file}`,
        remove: async () => {
          for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
        },
      });
    }
    case 'taskmill-pg': {
      const [{ taskmill }, pgSchema] = await Promise.all([
        import('./subjects/taskmill.ts'),
        import('./pg-schema.ts'),
      ]);
      return taskmill({
        url: withParams(pgSchema.pgUrl(), { schema: ns }),
        remove: () => pgSchema.dropSchema(ns),
        unsettled: () =>
          pgSchema.countRows(
            `SELECT count(*) AS n FROM "${ns}".tasks WHERE status IN ('queued', 'retrying', 'running')`,
          ),
        analyze: () => pgSchema.analyzeSchema(ns),
      });
    }
    case 'taskmill-mysql': {
      const [{ taskmill }, my] = await Promise.all([
        import('./subjects/taskmill.ts'),
        import('./mysql-database.ts'),
      ]);
      return taskmill({
        url: my.mysqlUrl(ns),
        create: () => my.createDatabase(ns),
        remove: () => my.dropDatabase(ns),
        unsettled: () => my.unsettledTasks(ns),
        analyze: () => my.analyzeDatabase(ns),
        worker: { pollMs: my.MYSQL_POLL_MS },
      });
    }
    case 'bullmq':
      return (await import('./subjects/bullmq.ts')).bullmq(ns, variant);
    case 'pg-boss':
      return (await import('./subjects/pg-boss.ts')).pgBoss(ns, variant);
    case 'graphile':
      return (await import('./subjects/graphile.ts')).graphile(ns, variant);
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
