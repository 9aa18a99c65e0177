import { afterEach } from 'vitest';
import { z } from 'zod';
import {
  type AnyTaskDefinition,
  type Clock,
  createTaskmill,
  defineTask,
  type Taskmill,
} from '../../src/index.ts';
import { type Backend, type FreshDatabase, SQLITE } from './backends.ts';

export interface OpenOptions {
  clock?: Clock;
  /** Open the database of a mill opened earlier in this test instead of a fresh one. */
  dbUrl?: string;
  retention?: Parameters<typeof createTaskmill>[0]['retention'];
  workerTimeoutMs?: number;
  scheduler?: Parameters<typeof createTaskmill>[0]['scheduler'];
  pipelines?: Parameters<typeof createTaskmill>[0]['pipelines'];
}

/**
 * Open a taskmill on a fresh database of `backend` (a temp SQLite file, a PostgreSQL schema);
 * mills that pass another's `dbUrl` share its database and its artifact folder. Everything
 * opened is closed, then removed, after each test.
 */
export function useMills(
  backend: Backend = SQLITE,
): <const D extends readonly AnyTaskDefinition[]>(
  tasks: D,
  options?: OpenOptions,
) => Promise<Taskmill<D> & { dbUrl: string }> {
  const opened: Taskmill<readonly AnyTaskDefinition[]>[] = [];
  const databases = new Map<string, FreshDatabase>();
  afterEach(async () => {
    for (const mill of opened.splice(0).reverse()) await mill.close();
    for (const db of databases.values()) await db.remove();
    databases.clear();
  });
  return async (tasks, options = {}) => {
    let db = options.dbUrl === undefined ? undefined : databases.get(options.dbUrl);
    if (options.dbUrl !== undefined && db === undefined) {
      throw new Error(`useMills: ${options.dbUrl} was not opened by this test`);
    }
    if (db === undefined) {
      db = await backend.fresh();
      databases.set(db.url, db);
    }
    const mill = await createTaskmill({
      database: db.url,
      dataDir: db.dataDir,
      tasks,
      clock: options.clock,
      retention: options.retention,
      workerTimeoutMs: options.workerTimeoutMs,
      ...(options.scheduler === undefined ? {} : { scheduler: options.scheduler }),
      ...(options.pipelines === undefined ? {} : { pipelines: options.pipelines }),
    });
    opened.push(mill as Taskmill<readonly AnyTaskDefinition[]>);
    return Object.assign(mill, { dbUrl: db.url });
  };
}

/** A promise with its resolve, for handlers that wait on the test. */
export function gate<T = void>(): { promise: Promise<T>; open(value: T): void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((r) => (open = r));
  return { promise, open };
}

/**
 * The task `job` of a worker that stalls: its first run waits until `release()`, then writes
 * progress ('late progress') and returns 'first' as if it still held the lease; every later run
 * returns 'second' at once.
 */
export function stallingJob() {
  const firstRun = gate();
  const released = gate();
  let calls = 0;
  const job = defineTask({
    name: 'job',
    input: z.object({}),
    run: async (_, ctx) => {
      calls++;
      if (calls > 1) return 'second';
      firstRun.open();
      await released.promise;
      ctx.progress(99, 'late progress');
      return 'first';
    },
  });
  return { job, firstRun: firstRun.promise, release: () => released.open() };
}
