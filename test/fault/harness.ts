import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach } from 'vitest';
import { createTaskmill, type Task, type Taskmill, type TaskStatus } from '../../src/index.ts';
import { type Backend, SQLITE } from '../helpers/backends.ts';
import { ChildScript } from '../helpers/child-process.ts';
import { type FaultTasks, faultTasks, type LedgerLine } from './fault-tasks.ts';
import type { ChildSchedulerConfig, ChildSubmitConfig, ChildWorkerConfig } from './protocol.ts';

const CHILD_WORKER = fileURLToPath(new URL('./child-worker.ts', import.meta.url));
const CHILD_SUBMIT = fileURLToPath(new URL('./child-submit.ts', import.meta.url));
const CHILD_SCHEDULER = fileURLToPath(new URL('./child-scheduler.ts', import.meta.url));

/** One scenario's world: a database every process shares, and the ledger they all append to. */
export interface FaultPlace {
  /** The only thing about the database the tests know. */
  url: string;
  /** Every process stores artifacts here, as on a volume they all mount. */
  dataDir: string;
  ledger: string;
}

export interface FaultEnv extends FaultPlace {
  /** The test process's own handle: submits, and reads state back through the API. */
  mill: Taskmill<FaultTasks>;
}

/**
 * Per test file (or per backend's `describe`): `env()` opens a scenario on a fresh database of
 * `backend` (a temp SQLite file, a PostgreSQL schema), `worker()`/`submitter()` spawn children in
 * it. After each test (or, with `scope: 'all'`, after them all) every child still alive is
 * SIGKILLed and reaped, the test's handle closed and the database removed, so no process
 * outlives its test.
 */
export function useFaultHarness({
  scope = 'each',
  backend = SQLITE,
}: {
  scope?: 'each' | 'all';
  backend?: Backend;
} = {}) {
  const children: ChildScript[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];

  (scope === 'each' ? afterEach : afterAll)(async () => {
    await Promise.all(children.splice(0).map((c) => c.destroy()));
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const place = async (): Promise<FaultPlace> => {
    const db = await backend.fresh('fault');
    cleanups.push(db.remove);
    return { url: db.url, dataDir: db.dataDir, ledger: join(db.folder, 'ledger.jsonl') };
  };

  return {
    /** `workerTimeoutMs`: how long the test's handle lets a worker be silent before it shows it
     * offline. */
    async env(options: { workerTimeoutMs?: number } = {}): Promise<FaultEnv> {
      const where = await place();
      const mill = await createTaskmill({
        database: where.url,
        dataDir: where.dataDir,
        tasks: faultTasks({ ledger: where.ledger }),
        workerTimeoutMs: options.workerTimeoutMs,
      });
      cleanups.push(() => mill.close());
      return { ...where, mill };
    },

    /** A database nobody has opened yet, for tests of what happens while it is created. */
    unopened: place,

    worker(
      env: FaultPlace,
      config: Omit<ChildWorkerConfig, 'database' | 'dataDir' | 'ledger'>,
    ): ChildScript {
      const full: ChildWorkerConfig = {
        database: env.url,
        dataDir: env.dataDir,
        ledger: env.ledger,
        ...config,
      };
      const child = new ChildScript(CHILD_WORKER, [JSON.stringify(full)]);
      children.push(child);
      return child;
    },

    submitter(
      env: FaultPlace,
      config: Omit<ChildSubmitConfig, 'database' | 'dataDir' | 'ledger'>,
    ): ChildScript {
      const full: ChildSubmitConfig = {
        database: env.url,
        dataDir: env.dataDir,
        ledger: env.ledger,
        ...config,
      };
      const child = new ChildScript(CHILD_SUBMIT, [JSON.stringify(full)]);
      children.push(child);
      return child;
    },

    /** A scheduler process whose clock and passes the test drives (child-scheduler.ts). */
    scheduler(env: FaultPlace): ChildScript {
      const config: ChildSchedulerConfig = { database: env.url, dataDir: env.dataDir };
      const child = new ChildScript(CHILD_SCHEDULER, [JSON.stringify(config)]);
      children.push(child);
      return child;
    },
  };
}

export function readLedger(path: string): LedgerLine[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as LedgerLine);
}

/** Ledger lines matching `where`, counted per task id. */
export function countByTask(
  lines: LedgerLine[],
  where: (l: LedgerLine) => boolean,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const l of lines) if (where(l)) counts.set(l.taskId, (counts.get(l.taskId) ?? 0) + 1);
  return counts;
}

/** Every task (optionally of some statuses), across as many pages as it takes. */
export async function listAll(mill: Taskmill<FaultTasks>, status?: TaskStatus[]): Promise<Task[]> {
  const all: Task[] = [];
  let cursor: string | null = null;
  do {
    const page: { tasks: Task[]; nextCursor: string | null } = await mill.list({
      status,
      limit: 1000,
      sort: 'createdAt',
      order: 'asc',
      cursor,
    });
    all.push(...page.tasks);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return all;
}

/** How many of `tasks` have each status. */
export function countStatuses(tasks: Task[]): Partial<Record<TaskStatus, number>> {
  const counts: Partial<Record<TaskStatus, number>> = {};
  for (const t of tasks) counts[t.status] = (counts[t.status] ?? 0) + 1;
  return counts;
}

/** How many tasks have each status, for failure messages. */
export async function statusCounts(
  mill: Taskmill<FaultTasks>,
): Promise<Partial<Record<TaskStatus, number>>> {
  return countStatuses(await listAll(mill));
}
