/**
 * Migration 0003 gives tasks their own timeouts. Tasks written by schema version 2 have none:
 * after the upgrade they read back with `timeout: null` (their type's apply) and run on, while new
 * tasks keep the timeouts they are given.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { newTask } from '../../src/store/conformance/factories.ts';
import type { Store } from '../../src/store/contract.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { postgresAt, sqliteAt } from '../helpers/older-schema.ts';

const T = Date.UTC(2026, 0, 1);
const OLD = '0190a000-0000-7000-8000-000000000001';
/** A queued task as version 2 wrote it. */
const V2_ROW = `INSERT INTO tasks (id, type, queue, priority, status, input, attempt, max_attempts,
  run_at, created_at, updated_at, seq, submitted_as)
  VALUES ('${OLD}', 'email', 'default', 2, 'queued', '{"n":1}', 0, 3, ${T}, ${T}, ${T}, 1, 'queued')`;

async function checkUpgraded(store: Store): Promise<void> {
  expect(store.schema.version).toBeGreaterThanOrEqual(3);
  expect(await store.taskGet({ id: OLD })).toMatchObject({ status: 'queued', timeout: null });
  const fresh = newTask({ type: 'email', timeout: { hardMs: 100 } });
  await store.taskInsert({ now: T, tasks: [fresh] });
  const claimed = await store.taskClaim({
    now: T + 1,
    workerId: 'w1',
    limit: 5,
    types: ['email'],
    queues: null,
    leaseMs: 1000,
  });
  expect(claimed.map((c) => [c.task.id, c.task.timeout])).toEqual([
    [OLD, null],
    [fresh.id, { hardMs: 100 }],
  ]);
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('migration 0003 on data written by version 2', () => {
  it('sqlite: old tasks have no timeout of their own, new ones keep theirs', async () => {
    const store = await openSqliteStore({ path: await sqliteAt(2, [V2_ROW], cleanups) });
    cleanups.push(() => store.close());
    await checkUpgraded(store);
  });

  it('postgres: old tasks have no timeout of their own, new ones keep theirs', async () => {
    const store = await openPostgresStore({ url: await postgresAt(2, [V2_ROW], cleanups) });
    cleanups.push(() => store.close());
    await checkUpgraded(store);
  });
});
