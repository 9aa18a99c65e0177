/**
 * Statements that write or lock rows by a list of ids, or lock a run's tasks, must reach each
 * row through an index, never by a scan: MariaDB locks what a scan reads, rows of other
 * transactions too, which deadlocks workers. A freshly migrated, empty database is the worst
 * case (its statistics make any scan look cheap), so the plans are read there.
 */
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTER_DIR } from '../../src/store/mysql/connection.ts';
import { openMysqlStore } from '../../src/store/mysql/index.ts';
import { parseMysqlUrl } from '../../src/store/mysql/url.ts';
import { loadSql } from '../../src/store/sql-files.ts';
import { freshMysqlDatabase } from '../helpers/mysql.ts';

/** Driven by a JSON list of ids (or [id, …] tuples): each row by its key. */
const BY_LIST = [
  'claim-update',
  'dependents-add',
  'dependents-end',
  'dependents-release',
  'lease-held-shared',
  'lease-renew',
  'run-delete-emptied',
  'run-lock',
  'run-release-held',
  'run-resume-move',
  'run-resume-queue',
  'run-resume-reset',
  'run-tasks-cancel',
  'settle-lock',
  'settle-update',
  'task-delete-many',
  'task-lock-many',
  'task-progress',
];
/** A run's tasks, through the run's index. */
const BY_RUN = [
  'run-ended-tasks',
  'run-held-ready',
  'run-open-tasks',
  'run-resume-count',
  'run-resume-ready',
  'run-tasks-cancel-request',
];
const TABLES = ['tasks', 'pipeline_runs'];

/** Parameters that fit their place: a one-element JSON list where JSON_TABLE reads one, a
 * number after LIMIT, else a string (a run id compared as a number could use no index). */
function paramsFor(sql: string): unknown[] {
  return [...sql.matchAll(/(JSON_TABLE\(\s*|LIMIT\s+)?\?/g)].map((m) => {
    if (m[1]?.startsWith('JSON_TABLE')) return '[["a", "b", "c", "d"]]';
    return m[1] === undefined ? 'r' : 5;
  });
}

interface PlanRow {
  table: string | null;
  type: string | null;
  key: string | null;
}

let drop: () => Promise<void> = async () => {};
let c: mysql.Connection;

beforeAll(async () => {
  const db = await freshMysqlDatabase('plans');
  drop = db.drop;
  await (await openMysqlStore({ url: db.url, poolSize: 1 })).close();
  c = await mysql.createConnection(parseMysqlUrl(db.url).target);
});

afterAll(async () => {
  await c?.end();
  await drop();
});

async function plan(name: string): Promise<PlanRow[]> {
  const sql = loadSql(ADAPTER_DIR, name)
    .split('\n')
    .filter((l) => !l.startsWith('--'))
    .join('\n');
  const [rows] = await c.query(`EXPLAIN ${sql}`, paramsFor(sql));
  return rows as PlanRow[];
}

describe('MySQL plans of the statements that lock rows', () => {
  it.each([...BY_LIST, ...BY_RUN])('%s reaches tasks and runs by an index', async (name) => {
    const scans = (await plan(name)).filter(
      (r) => TABLES.includes(r.table ?? '') && (r.type === 'ALL' || r.type === 'index'),
    );
    expect(scans, JSON.stringify(await plan(name))).toEqual([]);
  });

  it.each(BY_RUN)('%s reads the run through tasks_run_open', async (name) => {
    const onTasks = (await plan(name)).filter((r) => r.table === 't' || r.table === 'tasks');
    expect(onTasks.map((r) => r.key)).toContain('tasks_run_open');
  });
});
