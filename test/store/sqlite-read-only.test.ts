/**
 * Opening a read-only SQLite file: it is read as it is, never migrated, and an older schema is
 * refused with DATABASE_READ_ONLY saying so, instead of a write failing as a bug.
 */
import { chmodSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { errorOf } from '../helpers/error-of.ts';
import { sqliteAt } from '../helpers/older-schema.ts';

describe('a read-only SQLite file', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });

  it('with an older schema is refused, named, and left byte for byte as it was', async () => {
    const path = await sqliteAt(2, [], cleanups);
    chmodSync(path, 0o444);
    const before = readFileSync(path);
    const error = await errorOf(openSqliteStore({ path }));
    expect(error).toMatchObject({ code: 'DATABASE_READ_ONLY', details: { path } });
    expect(String((error as Error).message)).toMatch(
      /schema \(version 2\) is older than this build's/,
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('at the current schema opens, reads, and refuses a write with the file named', async () => {
    const path = await sqliteAt(99, [], cleanups);
    chmodSync(path, 0o444);
    const store = await openSqliteStore({ path });
    cleanups.push(() => store.close());
    expect(store.schema.applied).toEqual([]);
    expect(await store.taskGet({ id: '01a24bb3-4f73-70cc-ad7c-0068681c26d2' })).toBeNull();
    const error = await errorOf(store.queueUpsert({ now: 1, name: 'default', paused: true }));
    expect(error).toMatchObject({ code: 'DATABASE_READ_ONLY', details: { path } });
  });
});
