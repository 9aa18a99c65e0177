/**
 * The collation PostgreSQL's search folds under (issue 14): ICU's root where the server has it,
 * as the test servers do; the statement a server without ICU would get instead (the database's
 * default collation) is run here too, so that it is known to parse and to find what ASCII folds.
 */
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { insertAll, newTask } from '../../src/store/conformance/factories.ts';
import { foldCase, listQuery, listStatement } from '../../src/store/list-cursor.ts';
import { ADAPTER_DIR } from '../../src/store/postgres/connection.ts';
import { openPostgresStore } from '../../src/store/postgres/index.ts';
import { freshSchema } from '../helpers/postgres.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('folds under ICU where the server has it, and the fallback statement runs', async () => {
  const fresh = await freshSchema('search_fold');
  cleanups.push(fresh.drop);
  const store = await openPostgresStore({ url: fresh.url });
  cleanups.push(() => store.close());
  const task = newTask({ type: 'geo.lookup', input: { city: 'MÜNCHEN', code: 'MUC' } });
  await insertAll(store, [task]);
  const icu = await store.taskList({
    sort: 'createdAt',
    order: 'desc',
    limit: 10,
    filter: { search: 'münchen' },
  });
  expect(icu.tasks.map((t) => t.id)).toEqual([task.id]);

  const client = new pg.Client({ connectionString: fresh.url.replace(/\?.*$/, '') });
  await client.connect();
  cleanups.push(() => client.end());
  await client.query(`SET search_path TO ${fresh.schema}`);
  const text = listStatement(ADAPTER_DIR, 'createdAt', 'desc', 'default');
  expect(text).toContain('COLLATE "default"');
  const params = listQuery(
    { sort: 'createdAt', order: 'desc', limit: 10, filter: { search: 'muc' } },
    (v) => (v === undefined || v.length === 0 ? null : [...v]),
  ).params;
  const rows = await client.query({ text, values: [...params] });
  expect(rows.rows.map((r: { id: string }) => r.id)).toEqual([task.id]);
  expect(foldCase('MÜNCHEN ΑΘΉΝΑ')).toBe('münchen αθήνα');
});
