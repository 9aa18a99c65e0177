import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/core/ids.ts';
import type { NewTask } from '../../src/core/new-task.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import type { SqliteStore } from '../../src/store/sqlite/store.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

const dirs: { remove(): void }[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) d.remove();
});

function tasks(n: number, now: number): NewTask[] {
  return Array.from({ length: n }, () => ({
    id: uuidv7(),
    type: 'echo',
    queue: 'default',
    priority: 2,
    status: 'queued' as const,
    input: { text: 'x'.repeat(200) },
    maxAttempts: 1,
    runAt: now,
    idempotencyKey: null,
    inputHash: null,
  }));
}

async function open() {
  const dir = tempDir();
  dirs.push(dir);
  const path = join(dir.path, 'cp.db');
  const store = await openSqliteStore({ path });
  stores.push(store);
  return { store, path };
}

/** The automatic checkpoint setting of the store's own connection. */
function autocheckpoint(store: SqliteStore): number {
  const conn = (store as unknown as { conn: { db: DatabaseSync } }).conn.db;
  return (conn.prepare('PRAGMA wal_autocheckpoint').get() as { wal_autocheckpoint: number })
    .wal_autocheckpoint;
}

describe('SQLite checkpoints off the event loop', () => {
  it("copies the WAL into the database file from its own thread, not in the store's commits", async () => {
    const { store, path } = await open();
    expect(autocheckpoint(store)).toBe(0);
    const now = Date.now();
    for (let i = 0; i < 20; i++) await store.taskInsert({ now, tasks: tasks(500, now) });
    const done = await waitFor('a checkpoint of everything written', () => {
      const last = store.checkpointer?.last;
      return last && last.log > 0 && last.checkpointed === last.log ? last : undefined;
    });
    expect(done.log).toBeGreaterThan(1_000);
    // The database file itself holds the rows now, not only the WAL.
    expect(statSync(path).size).toBeGreaterThan(2_000_000);
  });

  it('turns the automatic checkpoint back on when its thread dies', async () => {
    const { store } = await open();
    await store.checkpointer?.kill();
    await waitFor('the fallback', () => autocheckpoint(store) === 1_000);
  });
});
