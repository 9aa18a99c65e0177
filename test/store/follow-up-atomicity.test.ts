/**
 * A settlement and its follow-ups commit together or not at all: with the follow-up statement
 * failing (as a crash between the two halves would leave things), the settlement is not stored
 * either, on every store; once the statement works again, both are.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  claim,
  insertAll,
  mustGet,
  newTask,
  SECOND,
  settlementFor,
  T0,
  WORKER_A,
} from '../../src/store/conformance/factories.ts';
import type { Store } from '../../src/store/contract.ts';
import { MySession } from '../../src/store/mysql/connection.ts';
import { openMysqlStore } from '../../src/store/mysql/index.ts';
import { PgSession } from '../../src/store/postgres/connection.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { SqliteConnection } from '../../src/store/sqlite/connection.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { freshMysqlDatabase } from '../helpers/mysql.ts';
import { freshSchema } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Runner = Record<'all' | 'run', (...args: never[]) => unknown>;

/** Make one statement fail, by name, for as long as `broken` says; `method` is the session's
 * method that runs it (MySQL's writes go through `run`). */
function breakStatement(proto: object, name: string, method: 'all' | 'run' = 'all') {
  const state = { broken: true };
  const target = proto as Runner;
  const original = target[method];
  vi.spyOn(target, method).mockImplementation(function (this: unknown, ...args: never[]) {
    if (state.broken && args[0] === name) throw new Error(`injected failure of ${name}`);
    return original.apply(this, args);
  });
  return state;
}

async function check(store: Store, state: { broken: boolean }): Promise<void> {
  const parent = newTask();
  const child = newTask({ dependsOn: [parent.id] });
  await insertAll(store, [parent, child]);
  const [claimed] = await claim(store, { now: T0 });
  if (!claimed) throw new Error('nothing claimed');
  const settle = () =>
    store.taskSettle({ now: T0 + SECOND, workerId: WORKER_A, items: [settlementFor(claimed)] });

  await expect(settle()).rejects.toThrow(/injected failure of dependents-release/);
  expect(await mustGet(store, parent.id)).toMatchObject({ status: 'running', attempt: 1 });
  expect(await mustGet(store, child.id)).toMatchObject({ status: 'pending' });
  expect(await store.executionList({ taskId: parent.id })).toMatchObject([{ finishedAt: null }]);

  state.broken = false;
  expect(await settle()).toEqual([{ ok: true, from: 'running', to: 'completed' }]);
  expect((await mustGet(store, parent.id)).status).toBe('completed');
  expect((await mustGet(store, child.id)).status).toBe('queued');
}

describe('settle follow-ups are atomic with their settlement', () => {
  it('sqlite: a failed release leaves the settlement unwritten', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const store = await openSqliteStore({ path: `${dir.path}/t.db` });
    cleanups.push(() => store.close());
    const state = breakStatement(SqliteConnection.prototype, 'dependents-release');
    await check(store, state);
  });

  it('postgres: a failed release leaves the settlement unwritten', async () => {
    const fresh = await freshSchema('follow_up_atomic');
    cleanups.push(fresh.drop);
    const store = await openPostgresStore({ url: fresh.url });
    cleanups.push(() => store.close());
    const state = breakStatement(PgSession.prototype, 'dependents-release');
    await check(store, state);
  });

  it('mysql: a failed release leaves the settlement unwritten', async () => {
    const fresh = await freshMysqlDatabase('follow_up_atomic');
    cleanups.push(fresh.drop);
    const store = await openMysqlStore({ url: fresh.url, poolSize: 2 });
    cleanups.push(() => store.close());
    const state = breakStatement(MySession.prototype, 'dependents-release', 'run');
    await check(store, state);
  });
});
