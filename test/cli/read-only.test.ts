/**
 * A SQLite file made read-only (chmod a-w, honoured even by root): the commands that only read
 * work on it, and one that would write says so with DATABASE_READ_ONLY (exit 5), naming the file.
 */
import { chmodSync, readdirSync } from 'node:fs';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURE_TASKS, makeSandbox, runCli, type Sandbox } from './helpers.ts';

describe('a read-only SQLite file', () => {
  let box: Sandbox;
  let file: string;
  let taskId: string;
  const cli = (...args: string[]) =>
    runCli([...args, '--database', box.database, '--tasks', FIXTURE_TASKS], { cwd: box.dir });

  beforeEach(async () => {
    box = makeSandbox();
    file = box.database.slice('sqlite:'.length);
    const submitted = await cli('submit', 't.echo', '--input', '{"text":"a"}', '--json');
    taskId = (JSON.parse(submitted.stdout) as { id: string }).id;
    chmodSync(file, 0o444);
  });
  afterEach(() => box.cleanup());

  it('serves the read-only commands, and writes nothing', async () => {
    const before = readdirSync(box.dir).sort();
    for (const args of [
      ['ls'],
      ['show', taskId],
      ['logs', taskId],
      ['stats'],
      ['workers'],
      ['queues'],
    ]) {
      const result = await cli(...args);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({
        args,
        code: 0,
        stderr: '',
      });
    }
    expect((await cli('ls')).stdout).toContain(taskId);
    expect((await cli('show', taskId)).stdout).toContain('queued');
    // Only what SQLite itself keeps beside a WAL file may appear.
    const after = readdirSync(box.dir)
      .filter((f) => !/-(wal|shm)$/.test(f))
      .sort();
    expect(after).toEqual(before.filter((f) => !/-(wal|shm)$/.test(f)));
  });

  it('refuses submit, cancel and worker with DATABASE_READ_ONLY naming the file (exit 5)', async () => {
    for (const args of [
      ['submit', 't.echo', '--input', '{"text":"b"}'],
      ['cancel', taskId],
      ['worker', '--concurrency', '1'],
    ]) {
      const result = await cli(...args);
      expect({ args, code: result.code }).toEqual({ args, code: 5 });
      expect(result.stderr).toContain('DATABASE_READ_ONLY');
      expect(result.stderr).toContain(file);
      expect(result.stderr).not.toMatch(/attempt to write|bug/i);
    }
    chmodSync(file, 0o644);
    expect((await cli('ls')).stdout).toContain(taskId);
  });
});
