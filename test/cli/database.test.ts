import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSandbox, runCli, type Sandbox } from './helpers.ts';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('the CLI against a database file that does not exist', () => {
  let box: Sandbox;
  beforeEach(() => {
    box = makeSandbox();
  });
  afterEach(() => box.cleanup());

  it.each([
    ['ls'],
    ['stats'],
    ['show', '01900000-0000-7000-8000-000000000000'],
    ['cancel', '01900000-0000-7000-8000-000000000000'],
  ])('%s says so with one coded line and creates no file', async (...command) => {
    const file = path.join(box.dir, 'taskmil.db');
    const result = await runCli([...command, '--database', `sqlite:${file}`], { cwd: box.dir });
    expect(result.code, result.stderr).toBe(5);
    expect(result.stderr).toMatch(
      /^error DATABASE_NOT_FOUND: There is no database at .*taskmil\.db/,
    );
    expect(result.stdout).toBe('');
    expect(existsSync(file)).toBe(false);
  });
});

describe('the CLI against a database that is not ours', () => {
  let box: Sandbox;
  beforeEach(() => {
    box = makeSandbox();
  });
  afterEach(() => box.cleanup());

  it('refuses a SQLite file of another application with one coded line, and leaves it unchanged', async () => {
    const file = path.join(box.dir, 'other.db');
    const db = new DatabaseSync(file);
    db.exec(
      'CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);',
    );
    db.close();
    const before = sha(file);
    const result = await runCli(['ls', '--database', `sqlite:${file}`], { cwd: box.dir });
    expect(result.code, result.stderr).toBe(5);
    expect(result.stderr).toMatch(/^error STORE_NOT_TASKMILL: .+\n$/);
    expect(sha(file)).toBe(before);
  });

  it('refuses a file that is not a database at all', async () => {
    const file = path.join(box.dir, 'notes.db');
    writeFileSync(file, 'these are my notes, not a database\n'.repeat(200));
    const before = sha(file);
    const result = await runCli(['stats', '--database', `sqlite:${file}`], { cwd: box.dir });
    expect(result.code, result.stderr).toBe(5);
    expect(result.stderr).toMatch(/^error STORE_NOT_TASKMILL: .+\n$/);
    expect(sha(file)).toBe(before);
  });

  it('refuses a database migrated by a newer taskmill', async () => {
    const file = path.join(box.dir, 'newer.db');
    expect((await runCli(['migrate', '--database', `sqlite:${file}`], { cwd: box.dir })).code).toBe(
      0,
    );
    const db = new DatabaseSync(file);
    db.exec(
      "INSERT INTO taskmill_migrations (version, name, checksum, applied_at) VALUES (9999, 'from_the_future', 'x', 0)",
    );
    db.close();
    const result = await runCli(['ls', '--database', `sqlite:${file}`], { cwd: box.dir });
    expect(result.code, result.stderr).toBe(5);
    expect(result.stderr).toMatch(/^error SCHEMA_TOO_NEW: .+\n$/);
  });
});
