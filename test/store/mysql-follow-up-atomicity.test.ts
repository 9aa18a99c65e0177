/**
 * On MySQL as on the other stores (follow-up-atomicity.test.ts): a settlement and its follow-ups
 * commit together or not at all. With the follow-up statement failing, the settlement is not
 * stored either; once the statement works again, both are.
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
import { MySession } from '../../src/store/mysql/connection.ts';
import { openMysqlStore } from '../../src/store/mysql/index.ts';
import { freshMysqlDatabase } from '../helpers/mysql.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('settle follow-ups are atomic with their settlement', () => {
  it('mysql: a failed release leaves the settlement unwritten', async () => {
    const fresh = await freshMysqlDatabase('follow_up_atomic');
    cleanups.push(fresh.drop);
    const store = await openMysqlStore({ url: fresh.url, poolSize: 2 });
    cleanups.push(() => store.close());
    const state = { broken: true };
    const original = MySession.prototype.run;
    vi.spyOn(MySession.prototype, 'run').mockImplementation(function (
      this: MySession,
      name: string,
      params?: unknown[],
    ) {
      if (state.broken && name === 'dependents-release') {
        return Promise.reject(new Error(`injected failure of ${name}`));
      }
      return original.call(this, name, params);
    });

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
  });
});
