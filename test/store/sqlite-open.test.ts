import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.ts';
import { uuidv7 } from '../../src/core/ids.ts';
import type { NewTask } from '../../src/core/new-task.ts';
import { openStore, sqliteFilePath } from '../../src/store/open.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const NOW = Date.UTC(2026, 0, 1);

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

async function storeErrorOf(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(StoreError);
    return e as StoreError;
  }
  throw new Error('expected the call to fail');
}

function newTask(): NewTask {
  return {
    id: uuidv7(NOW),
    type: 'email',
    queue: 'default',
    priority: 2,
    status: 'queued',
    input: { to: 'a@example.com' },
    maxAttempts: 3,
    runAt: NOW,
    idempotencyKey: null,
    inputHash: null,
  };
}

/** Change a taskmill database behind taskmill's back, then close it so the WAL is folded in. */
function tamper(path: string, sql: string): void {
  const db = new DatabaseSync(path);
  db.exec(sql);
  db.close();
}

let dir: ReturnType<typeof tempDir>;
let file: string;

beforeEach(() => {
  dir = tempDir('taskmill-sqlite-open-');
  file = join(dir.path, 'taskmill.db');
});

afterEach(() => {
  dir.remove();
});

describe('database URLs', () => {
  it('reads the accepted sqlite forms', () => {
    expect(sqliteFilePath('sqlite:./rel.db')).toBe(resolve('rel.db'));
    expect(sqliteFilePath('sqlite:rel.db')).toBe(resolve('rel.db'));
    expect(sqliteFilePath('sqlite:/abs/path.db')).toBe('/abs/path.db');
    expect(sqliteFilePath('sqlite:///abs/path.db')).toBe('/abs/path.db');
    expect(sqliteFilePath('sqlite::memory:')).toBeNull();
    expect(sqliteFilePath('postgres://localhost/db')).toBeNull();
  });

  it('opens an in-memory store', async () => {
    const store = await openStore('sqlite::memory:');
    const result = await store.taskInsert({ now: NOW, tasks: [newTask()] });
    expect(result.ok).toBe(true);
    await store.close();
  });

  it('opens a file store from a URL', async () => {
    const store = await openStore(`sqlite:${file}`);
    await store.close();
    expect(existsSync(file)).toBe(true);
  });

  it('rejects anything else, naming the URL and the accepted forms', async () => {
    for (const url of ['mongodb://host/db', 'sqlite:', 'sqlite://host/db', 'taskmill.db', '']) {
      const error = await storeErrorOf(openStore(url));
      expect(error.code).toBe('DATABASE_URL_INVALID');
      expect(error.message).toContain(`"${url}"`);
      expect(error.message).toContain('sqlite::memory:');
    }
  });

  it('reports a folder that does not exist as DATABASE_OPEN_FAILED', async () => {
    const error = await storeErrorOf(openSqliteStore({ path: join(dir.path, 'nope', 'x.db') }));
    expect(error.code).toBe('DATABASE_OPEN_FAILED');
  });
});

describe('opening a database file', () => {
  it('turns WAL on', async () => {
    const store = await openSqliteStore({ path: file });
    const db = new DatabaseSync(file);
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    db.close();
    await store.close();
  });

  it('reopens an existing database, keeping its tasks and applying nothing twice', async () => {
    const first = await openSqliteStore({ path: file });
    const task = newTask();
    await first.taskInsert({ now: NOW, tasks: [task] });
    await first.close();
    const ledger = () => {
      const db = new DatabaseSync(file);
      const rows = db.prepare('SELECT * FROM taskmill_migrations ORDER BY version').all();
      db.close();
      return rows;
    };
    const before = ledger();
    expect(before.length).toBeGreaterThan(0);

    const second = await openSqliteStore({ path: file });
    expect((await second.taskGet({ id: task.id }))?.id).toBe(task.id);
    await second.close();
    expect(ledger()).toEqual(before);
  });

  it('lets two stores share one file', async () => {
    const a = await openSqliteStore({ path: file });
    const b = await openSqliteStore({ path: file });
    const task = newTask();
    await a.taskInsert({ now: NOW, tasks: [task] });
    const claimed = await b.taskClaim({
      now: NOW,
      workerId: 'w',
      limit: 5,
      types: ['email'],
      queues: null,
      leaseMs: 1000,
    });
    expect(claimed.map((c) => c.task.id)).toEqual([task.id]);
    await a.close();
    await b.close();
  });

  it('waits out another connection holding the write lock instead of failing', async () => {
    const store = await openSqliteStore({ path: file, busyTimeoutMs: 20 });
    const other = new DatabaseSync(file);
    other.exec('BEGIN IMMEDIATE');
    setTimeout(() => other.exec('COMMIT'), 300);
    const result = await store.taskInsert({ now: NOW, tasks: [newTask()] });
    expect(result.ok).toBe(true);
    other.close();
    await store.close();
  });
});

describe('refusing a database that is not ours, untouched', () => {
  it('refuses a file that is not SQLite at all', async () => {
    writeFileSync(file, randomBytes(8192));
    const before = sha256(file);
    const error = await storeErrorOf(openSqliteStore({ path: file }));
    expect(error.code).toBe('STORE_NOT_TASKMILL');
    expect(error.message).toContain(file);
    expect(sha256(file)).toBe(before);
  });

  it("refuses an SQLite file with someone else's tables and creates none", async () => {
    tamper(
      file,
      `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES (1, 'a')`,
    );
    const before = sha256(file);
    const error = await storeErrorOf(openSqliteStore({ path: file }));
    expect(error.code).toBe('STORE_NOT_TASKMILL');
    expect(error.message).toContain('users');
    expect(sha256(file)).toBe(before);
    const db = new DatabaseSync(file);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'delete' });
    db.close();
    expect(tables).toEqual([{ name: 'users' }]);
  });

  it('refuses a database migrated by a newer taskmill', async () => {
    await (await openSqliteStore({ path: file })).close();
    tamper(file, "INSERT INTO taskmill_migrations VALUES (9999, '9999_future', 'abc', 0)");
    const before = sha256(file);
    const error = await storeErrorOf(openSqliteStore({ path: file }));
    expect(error.code).toBe('SCHEMA_TOO_NEW');
    expect(error.details).toMatchObject({ databaseVersion: 9999 });
    expect(sha256(file)).toBe(before);
  });

  it('refuses a database whose applied migration was edited since', async () => {
    await (await openSqliteStore({ path: file })).close();
    tamper(file, "UPDATE taskmill_migrations SET checksum = 'edited' WHERE version = 1");
    const before = sha256(file);
    const error = await storeErrorOf(openSqliteStore({ path: file }));
    expect(error.code).toBe('MIGRATION_CHECKSUM_MISMATCH');
    expect(error.details).toMatchObject({ version: 1, databaseChecksum: 'edited' });
    expect(sha256(file)).toBe(before);
  });
});
