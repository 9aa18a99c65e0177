import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTaskmill, defineTask, type Taskmill } from '../../src/index.ts';
import { freshSchema, postgresUrl } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const email = defineTask({
  name: 'email',
  input: z.object({ to: z.string() }),
  run: ({ to }) => `sent to ${to}`,
});

describe('submit inside the caller’s PostgreSQL transaction', () => {
  let schema: Awaited<ReturnType<typeof freshSchema>>;
  let mill: Taskmill<readonly [typeof email]>;
  let client: pg.Client;

  let artifacts: ReturnType<typeof tempDir>;

  beforeEach(async () => {
    artifacts = tempDir();
    schema = await freshSchema('txsubmit');
    mill = await createTaskmill({ database: schema.url, dataDir: artifacts.path, tasks: [email] });
    client = new pg.Client({ connectionString: postgresUrl() });
    await client.connect();
    await client.query('create temporary table signups (email text)');
  });

  afterEach(async () => {
    await client.end();
    await mill.close();
    await schema.drop();
    artifacts.remove();
  });

  it('a rollback leaves no task behind and wakes nobody', async () => {
    let wakes = 0;
    mill.on('claim.batch', () => wakes++);
    await mill.startWorker({ handleSignals: false, pollMs: 60_000 });
    await client.query('begin');
    await client.query("insert into signups values ('ann@example.com')");
    const task = await mill.submit('email', { to: 'ann@example.com' }, { client });
    // Not visible outside the transaction yet.
    await expect(mill.get(task.id)).rejects.toMatchObject({ code: 'TASK_NOT_FOUND' });
    await client.query('rollback');
    await expect(mill.get(task.id)).rejects.toMatchObject({ code: 'TASK_NOT_FOUND' });
    expect((await mill.list()).tasks).toEqual([]);
    // The caller's own statements still resolve in its own schema afterwards.
    expect(
      (await client.query("select current_setting('search_path') as p")).rows[0].p,
    ).not.toContain(schema.schema);
    expect(wakes).toBe(0);
  });

  it('a commit makes exactly one task visible at once and wakes an idle worker', async () => {
    await mill.startWorker({ handleSignals: false, pollMs: 60_000 });
    await client.query('begin');
    await client.query("insert into signups values ('bob@example.com')");
    const task = await mill.submit(
      'email',
      { to: 'bob@example.com' },
      { client, idempotencyKey: 'signup:bob' },
    );
    const again = await mill.submit(
      'email',
      { to: 'bob@example.com' },
      { client, idempotencyKey: 'signup:bob' },
    );
    expect(again.id).toBe(task.id);
    await client.query('commit');
    // The poll is a minute away: only the NOTIFY delivered at commit can start it this soon.
    const done = await mill.wait(task.id, { timeoutMs: 10_000 });
    expect(done).toMatchObject({ status: 'completed', output: 'sent to bob@example.com' });
    expect((await mill.list()).tasks).toHaveLength(1);
  });

  it('an idempotency conflict is an error that leaves the caller’s transaction usable', async () => {
    await client.query('begin');
    await mill.submit('email', { to: 'a' }, { client, idempotencyKey: 'k' });
    await expect(
      mill.submit('email', { to: 'b' }, { client, idempotencyKey: 'k' }),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
    await client.query("insert into signups values ('still fine')");
    await client.query('commit');
    expect((await mill.list()).tasks).toHaveLength(1);
  });

  it('refuses a client outside a transaction, and the option on SQLite', async () => {
    await expect(mill.submit('email', { to: 'x' }, { client })).rejects.toMatchObject({
      code: 'OPTIONS_INVALID',
    });
    const dir = tempDir();
    const lite = await createTaskmill({ database: dir.dbUrl, tasks: [email] });
    try {
      await expect(lite.submit('email', { to: 'x' }, { client })).rejects.toMatchObject({
        code: 'OPTIONS_INVALID',
      });
      expect((await lite.list()).tasks).toEqual([]);
    } finally {
      await lite.close();
      dir.remove();
    }
  });
});
