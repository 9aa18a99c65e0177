/**
 * Migration 0002 moves attempts onto task rows and reads history entries from them. A database
 * written by schema version 1 (history rows for every transition, an execution row opened at each
 * claim) must read back the same history and executions after the upgrade, and its running task
 * must settle normally afterwards, with new entries numbered after the old ones.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/contract.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { postgresAt, sqliteAt } from '../helpers/older-schema.ts';

const T = Date.UTC(2026, 0, 1);
const DONE = '0190a000-0000-7000-8000-000000000001';
const RUNNING = '0190a000-0000-7000-8000-000000000002';
const WAITING = '0190a000-0000-7000-8000-000000000003';
const E1 = '0190a000-0000-7000-8000-0000000000e1';
const E2 = '0190a000-0000-7000-8000-0000000000e2';
const E3 = '0190a000-0000-7000-8000-0000000000e3';
const ERROR = '{"code":"E","message":"boom","retryable":true}';
const METRICS = '{"durationMs":5,"peakRssBytes":100}';

/** What version 1 wrote: a task completed on its second attempt, a running one, a queued one. */
function v1Rows(bool: (b: boolean) => string): string[] {
  const task = (
    id: string,
    status: string,
    attempt: number,
    extra: {
      output?: string;
      error?: string;
      started?: number;
      finished?: number;
      execution?: string;
    } = {},
    lease: { worker: string; token: string } | null = null,
  ) =>
    `INSERT INTO tasks (id, type, queue, priority, status, input, output, error, attempt,
      max_attempts, run_at, created_at, updated_at, started_at, finished_at, worker_id,
      lease_token, lease_expires_at, execution_id, cancel_requested, crash_count)
     VALUES ('${id}', 'email', 'default', 2, '${status}', '{"n":1}', ${extra.output ?? 'NULL'},
      ${extra.error ?? 'NULL'}, ${attempt}, 3, ${T}, ${T}, ${T + 9}, ${extra.started ?? 'NULL'},
      ${extra.finished ?? 'NULL'}, ${lease ? `'${lease.worker}'` : 'NULL'},
      ${lease ? `'${lease.token}'` : 'NULL'}, ${lease ? T + 30_000 : 'NULL'},
      ${extra.execution ? `'${extra.execution}'` : 'NULL'}, ${bool(false)}, 0)`;
  const history = (
    id: string,
    from: string | null,
    to: string,
    at: number,
    reason: string,
    w: string | null,
  ) =>
    `INSERT INTO task_history (task_id, from_status, to_status, at, reason, worker_id)
     VALUES ('${id}', ${from ? `'${from}'` : 'NULL'}, '${to}', ${at}, '${reason}', ${w ? `'${w}'` : 'NULL'})`;
  const execution = (
    id: string,
    task: string,
    attempt: number,
    start: number,
    end: [number, string, string | null] | null,
  ) =>
    `INSERT INTO executions (id, task_id, attempt, worker_id, started_at, finished_at, outcome, error, metrics)
     VALUES ('${id}', '${task}', ${attempt}, 'w1', ${start}, ${end ? end[0] : 'NULL'},
      ${end ? `'${end[1]}'` : 'NULL'}, ${end?.[2] ? `'${end[2]}'` : 'NULL'}, ${end ? `'${METRICS}'` : 'NULL'})`;
  return [
    task(DONE, 'completed', 2, {
      output: `'{"ok":true}'`,
      error: `'${ERROR}'`,
      started: T + 3,
      finished: T + 4,
      execution: E2,
    }),
    history(DONE, null, 'queued', T, 'submitted', null),
    history(DONE, 'queued', 'running', T + 1, 'claimed', 'w1'),
    history(DONE, 'running', 'retrying', T + 2, 'failed; retry 2 of 3 in 1 ms', 'w1'),
    history(DONE, 'retrying', 'running', T + 3, 'claimed', 'w1'),
    history(DONE, 'running', 'completed', T + 4, 'completed', 'w1'),
    execution(E1, DONE, 1, T + 1, [T + 2, 'failed', ERROR]),
    execution(E2, DONE, 2, T + 3, [T + 4, 'completed', null]),
    task(RUNNING, 'running', 1, { started: T + 5, execution: E3 }, { worker: 'w1', token: 'tok' }),
    history(RUNNING, null, 'queued', T, 'submitted', null),
    history(RUNNING, 'queued', 'running', T + 5, 'claimed', 'w1'),
    execution(E3, RUNNING, 1, T + 5, null),
    task(WAITING, 'queued', 0),
    history(WAITING, null, 'queued', T, 'submitted', null),
  ];
}

const entry = (
  id: number,
  from: string | null,
  to: string,
  at: number,
  reason: string,
  workerId: string | null,
) => ({
  id,
  from,
  to,
  at: new Date(at),
  reason,
  workerId,
});

async function checkUpgraded(store: Store): Promise<void> {
  // Opening migrates to the newest version, which may be past 2.
  expect(store.schema.version).toBeGreaterThanOrEqual(2);
  expect((await store.historyList({ id: DONE })).map(({ taskId: _, ...e }) => e)).toEqual([
    entry(1, null, 'queued', T, 'submitted', null),
    entry(2, 'queued', 'running', T + 1, 'claimed', 'w1'),
    entry(3, 'running', 'retrying', T + 2, 'failed; retry 2 of 3 in 1 ms', 'w1'),
    entry(4, 'retrying', 'running', T + 3, 'claimed', 'w1'),
    entry(5, 'running', 'completed', T + 4, 'completed', 'w1'),
  ]);
  expect((await store.executionList({ taskId: DONE })).map((e) => [e.id, e.outcome])).toEqual([
    [E1, 'failed'],
    [E2, 'completed'],
  ]);
  // The running task: its claim entry and open execution are now read from its row.
  expect(
    (await store.historyList({ id: RUNNING })).map((e) => [e.id, e.from, e.to, e.workerId]),
  ).toEqual([
    [1, null, 'queued', null],
    [2, 'queued', 'running', 'w1'],
  ]);
  expect(await store.executionList({ taskId: RUNNING })).toMatchObject([
    { id: E3, attempt: 1, workerId: 'w1', startedAt: new Date(T + 5), finishedAt: null },
  ]);
  const [result] = await store.taskSettle({
    now: T + 6,
    workerId: 'w1',
    items: [
      {
        id: RUNNING,
        token: 'tok',
        to: 'completed',
        outcome: 'completed',
        reason: 'done',
        output: 1,
      },
    ],
  });
  expect(result).toEqual({ ok: true, from: 'running', to: 'completed' });
  expect((await store.historyList({ id: RUNNING })).map((e) => [e.id, e.to])).toEqual([
    [1, 'queued'],
    [2, 'running'],
    [3, 'completed'],
  ]);
  expect(await store.executionList({ taskId: RUNNING })).toMatchObject([
    { id: E3, finishedAt: new Date(T + 6), outcome: 'completed' },
  ]);
  // A queued task from before runs as any new one, its entries numbered after its old one.
  const [claimed] = await store.taskClaim({
    now: T + 7,
    workerId: 'w2',
    limit: 5,
    types: ['email'],
    queues: null,
    leaseMs: 1000,
  });
  expect(claimed?.task.id).toBe(WAITING);
  expect((await store.historyList({ id: WAITING })).map((e) => [e.id, e.to, e.workerId])).toEqual([
    [1, 'queued', null],
    [2, 'running', 'w2'],
  ]);
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('migration 0002 on data written by version 1', () => {
  it('sqlite: reads back the same history and executions, then runs on', async () => {
    const path = await sqliteAt(
      1,
      v1Rows((b) => (b ? '1' : '0')),
      cleanups,
    );
    const store = await openSqliteStore({ path });
    cleanups.push(() => store.close());
    await checkUpgraded(store);
  });

  it('postgres: reads back the same history and executions, then runs on', async () => {
    const url = await postgresAt(
      1,
      v1Rows((b) => String(b)),
      cleanups,
    );
    const store = await openPostgresStore({ url });
    cleanups.push(() => store.close());
    await checkUpgraded(store);
  });
});
