/**
 * A MySQL/MariaDB URL picks the MySQL adapter through the one public door, createTaskmill:
 * both schemes, a task run end to end, and a URL of no known kind refused with the forms that
 * would work. (The adapter itself is covered by test/store/mysql*.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StoreError } from '../../src/core/errors.ts';
import { createTaskmill, defineTask, type Taskmill } from '../../src/index.ts';
import { freshMysqlDatabase } from '../helpers/mysql.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const double = defineTask({
  name: 'double',
  input: z.object({ n: z.number() }),
  run: ({ n }) => ({ doubled: n * 2 }),
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function open(url: string): Promise<Taskmill<readonly [typeof double]>> {
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  const mill = await createTaskmill({ database: url, dataDir: dir.path, tasks: [double] });
  cleanups.push(() => mill.close());
  return mill;
}

describe('createTaskmill on MySQL/MariaDB', () => {
  it.each(['mysql', 'mariadb'])(
    'opens a %s:// URL, migrates it and runs a task',
    async (scheme) => {
      const db = await freshMysqlDatabase(`mill_${scheme}`);
      cleanups.push(db.drop);
      const mill = await open(db.url.replace(/^mysql:/, `${scheme}:`));
      // No LISTEN/NOTIFY on MySQL: no wake-up channel to report on; workers poll.
      expect(mill.listening()).toBeNull();
      expect(mill.schema).toEqual({ version: 7, applied: [1, 2, 3, 4, 5, 6, 7] });
      const worker = await mill.startWorker({ concurrency: 2 });
      cleanups.push(() => worker.stop());
      const { id } = await mill.submit('double', { n: 21 });
      const done = await mill.wait(id, { timeoutMs: 10_000 });
      expect(done).toMatchObject({ status: 'completed', output: { doubled: 42 } });
    },
  );

  it('keeps what it stored across a reopen of the same database', async () => {
    const db = await freshMysqlDatabase('mill_reopen');
    cleanups.push(db.drop);
    const first = await open(db.url);
    const { id } = await first.submit('double', { n: 1 }, { priority: 'high' });
    await first.close();
    const second = await open(db.url);
    expect(await second.get(id)).toMatchObject({ id, status: 'queued', priority: 'high' });
  });

  it('refuses a URL of no known kind, naming the mysql:// and mariadb:// forms', async () => {
    const error = await createTaskmill({ database: 'mongodb://db/x', tasks: [] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('DATABASE_URL_INVALID');
    expect((error as StoreError).message).toContain('mysql://');
    expect((error as StoreError).message).toContain('mariadb://');
  });
});
