/**
 * Task lists at scale (issue 18): fill a store with `n` tasks (task-list-fill.ts, one SQL
 * statement), then time the lists a dashboard asks for through the public library API
 * (`createTaskmill(...).list(...)`), each the median of 5 runs after one warm-up.
 *
 * Arguments: store (`sqlite`, `postgres` or `mysql`), n (default 1,000,000). PostgreSQL works in a
 * fresh schema of TASKMILL_BENCH_DATABASE_URL (pg-schema.ts), MariaDB in a fresh database of
 * TASKMILL_BENCH_MYSQL_URL (mysql-database.ts); both are dropped at the end. Every table is
 * analysed after the fill, as a default server's auto-analyze would have done by then.
 */
import { DatabaseSync } from 'node:sqlite';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createTaskmill, type ListOptions, type Taskmill } from '../../src/index.ts';
import { freshDatabase, noop, report } from './common.ts';
import {
  analyzeDatabase,
  createDatabase,
  dropDatabase,
  mysqlServerUrl,
  mysqlUrl,
} from './mysql-database.ts';
import { analyzeSchema, dropSchema, pgUrl } from './pg-schema.ts';
import { type Dialect, FILL_STEP_MS, FILL_T0, fillStatement } from './task-list-fill.ts';

const store = (process.argv[2] ?? 'sqlite') as Dialect;
const n = Number(process.argv[3] ?? 1_000_000);
if (!['sqlite', 'postgres', 'mysql'].includes(store)) throw new Error(`unknown store ${store}`);
const say = (line: string) => process.stderr.write(`${line}\n`);

interface Target {
  url: string;
  /** Runs the fill statement and analyses the tables. */
  fill(sql: string): Promise<void>;
  remove(): Promise<void>;
}

async function target(): Promise<Target> {
  if (store === 'sqlite') {
    const db = freshDatabase();
    const path = db.url.slice('sqlite:'.length);
    return {
      url: db.url,
      async fill(sql) {
        const conn = new DatabaseSync(path);
        conn.exec('PRAGMA busy_timeout = 10000');
        conn.exec(sql);
        conn.exec('ANALYZE');
        conn.close();
      },
      async remove() {
        db.remove();
      },
    };
  }
  if (store === 'postgres') {
    const schema = `tl_${process.pid}`;
    const base = pgUrl();
    return {
      url: `${base}${base.includes('?') ? '&' : '?'}schema=${schema}`,
      async fill(sql) {
        const client = new pg.Client({ connectionString: base });
        await client.connect();
        try {
          await client.query(`SET search_path TO ${client.escapeIdentifier(schema)}`);
          await client.query(sql);
        } finally {
          await client.end();
        }
        await analyzeSchema(schema);
      },
      remove: () => dropSchema(schema),
    };
  }
  const name = `bench_tl_${process.pid}`;
  await createDatabase(name);
  return {
    url: mysqlUrl(name),
    async fill(sql) {
      const u = new URL(mysqlServerUrl());
      const c = await mysql.createConnection({
        host: u.hostname,
        port: u.port === '' ? 3306 : Number(u.port),
        user: decodeURIComponent(u.username) || 'root',
        password: decodeURIComponent(u.password),
        database: name,
      });
      try {
        await c.query('SET SESSION max_recursive_iterations = 4294967295').catch(() => {});
        await c.query('SET SESSION cte_max_recursion_depth = 4294967295').catch(() => {});
        await c.query(sql);
      } finally {
        await c.end();
      }
      await analyzeDatabase(name);
    },
    remove: () => dropDatabase(name),
  };
}

const t = await target();
// A clock just after the last task was created: "now" for the waiting tasks' ages.
const now = FILL_T0 + n * FILL_STEP_MS + 60_000;
try {
  const mill = await createTaskmill({ database: t.url, tasks: [noop], clock: { now: () => now } });
  try {
    report(await measure(mill));
  } finally {
    await mill.close();
  }
} finally {
  // A failed fill or list leaves no database or schema behind on the shared server.
  await t.remove();
}

async function median(run: () => Promise<unknown>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let k = 0; k < 5; k++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return Math.round((times[2] ?? 0) * 10) / 10;
}

async function measure(mill: Taskmill<readonly [typeof noop]>) {
  const fillStart = performance.now();
  await t.fill(fillStatement(store, n));
  const fillSeconds = (performance.now() - fillStart) / 1000;
  say(`  filled ${n} tasks on ${store} in ${fillSeconds.toFixed(1)} s (analysed)`);
  const first = await mill.list({});
  const cases: [string, () => Promise<unknown>][] = [
    ['firstPage', () => mill.list({})],
    ['cursorPage2', () => mill.list({ cursor: first.nextCursor })],
    ['numberedPage1Total', () => mill.list({ page: 1 })],
    ['numberedPage50Total', () => mill.list({ page: 50 })],
    // No failed task has type.3 (task-list-fill.ts): the whole table is read for nothing.
    ['statusAndType', () => mill.list({ status: 'failed', type: 'type.3' })],
    // 10,000 failed tasks of type.10, spread over the whole time.
    ['statusAndTypeMatch', () => mill.list({ status: 'failed', type: 'type.10' })],
    ['name', () => mill.list({ name: 'batch 42' })],
    ['worker', () => mill.list({ workerId: 'worker-3' })],
    ['searchInput', () => mill.list({ search: 'zephyr' })],
    ['searchError', () => mill.list({ search: 'quota exceeded' })],
    ['searchNoMatch', () => mill.list({ search: 'no such text anywhere' })],
    ['sortPriority', () => mill.list({ sort: 'priority', order: 'asc' })],
    ['sortFinishedAt', () => mill.list({ sort: 'finishedAt', order: 'desc' })],
    ['queues', () => mill.queues()],
  ];
  const result: Record<string, number | string> = {
    scenario: `task lists, ${store}`,
    tasks: n,
    fillSeconds: Math.round(fillSeconds * 10) / 10,
  };
  for (const [label, run] of cases) {
    result[`${label}Ms`] = await median(run);
    say(`  ${label}: ${result[`${label}Ms`]} ms`);
  }
  // The matches found, so a reader sees what each search had to do.
  const counted = async (o: ListOptions) => (await mill.list({ ...o, total: true })).total ?? 0;
  result['matchesSearchInput'] = await counted({ search: 'zephyr' });
  result['matchesSearchError'] = await counted({ search: 'quota exceeded' });
  result['matchesName'] = await counted({ name: 'batch 42' });
  return result;
}
