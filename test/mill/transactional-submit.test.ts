import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTaskmill, defineTask, type Taskmill } from '../../src/index.ts';
import { freshSchema, postgresUrl } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

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
  /** A connection of its own that LISTENs on the schema's wake-up channel, as a worker would. */
  let listener: pg.Client;
  let heard: string[];

  /**
   * Everything the wake-up channel carried up to now: a marker NOTIFY sent after the fact is
   * delivered after every notification committed before it, so once it arrives nothing earlier
   * is still on its way.
   */
  async function wakeupsSoFar(): Promise<string[]> {
    const marker = `marker-${heard.length}-${Date.now()}`;
    await listener.query('select pg_notify($1, $2)', [`${schema.schema}_wakeup`, marker]);
    await waitFor(`the marker on ${schema.schema}_wakeup`, () => heard.includes(marker));
    return heard.filter((p) => !p.startsWith('marker-'));
  }

  beforeEach(async () => {
    artifacts = tempDir();
    schema = await freshSchema('txsubmit');
    mill = await createTaskmill({ database: schema.url, dataDir: artifacts.path, tasks: [email] });
    client = new pg.Client({ connectionString: postgresUrl() });
    await client.connect();
    await client.query('create temporary table signups (email text)');
    heard = [];
    listener = new pg.Client({ connectionString: postgresUrl() });
    await listener.connect();
    listener.on('notification', (n) => heard.push(n.payload ?? ''));
    await listener.query(`listen ${listener.escapeIdentifier(`${schema.schema}_wakeup`)}`);
  });

  afterEach(async () => {
    await client.end();
    await listener.end();
    await mill.close();
    await schema.drop();
    artifacts.remove();
  });

  it('a rollback leaves no task behind and wakes nobody', async () => {
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
    // Nothing was sent on the wake-up channel, neither during the transaction nor at rollback.
    expect(await wakeupsSoFar()).toEqual([]);
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
    // Nobody is woken while the transaction is open…
    expect(await wakeupsSoFar()).toEqual([]);
    await client.query('commit');
    // …and the commit delivers the wake-up.
    await waitFor('a wake-up after the commit', () => heard.some((p) => !p.startsWith('marker-')));
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
