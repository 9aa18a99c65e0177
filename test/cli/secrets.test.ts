/**
 * Issue #13: a database URL's password never reaches the output of `serve` (its banner and
 * hints), `worker` (its start line) or a command that fails to open the database.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/store/postgres/url.ts';
import { postgresUrl } from '../helpers/postgres.ts';
import { CliProcess, FIXTURE_TASKS, makeSandbox, runCli, type Sandbox } from './helpers.ts';

/** A role of its own with a password found nowhere else, and a URL that logs in as it. */
interface Login {
  url: string;
  password: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function makeLogin(): Promise<Login> {
  const suffix = randomBytes(6).toString('hex');
  const role = `mask_${suffix}`;
  const password = `Pw${randomBytes(12).toString('hex')}`;
  const url = new URL(postgresUrl());
  const database = url.pathname.slice(1);
  await admin(async (client) => {
    await client.query(`create role ${role} login password '${password}'`);
    await client.query(`grant create on database ${client.escapeIdentifier(database)} to ${role}`);
  });
  url.username = role;
  url.password = password;
  url.searchParams.set('schema', role);
  return {
    url: url.toString(),
    password,
    drop: () =>
      admin(async (client) => {
        await client.query(`drop schema if exists ${role} cascade`);
        await client.query(`drop owned by ${role} cascade`);
        await client.query(`drop role ${role}`);
      }),
  };
}

describe('a database URL with a password', () => {
  let box: Sandbox;
  let login: Login;
  beforeAll(async () => {
    box = makeSandbox();
    login = await makeLogin();
  });
  afterAll(async () => {
    await login?.drop();
    box?.cleanup();
  });

  it('is masked in the banner and hints of serve', async () => {
    const serve = new CliProcess(
      ['serve', '--port', '0', '--tasks', FIXTURE_TASKS, '--database', login.url],
      { cwd: box.dir },
    );
    try {
      await serve.waitForOutput(/stop with Ctrl-C/, 20_000);
    } finally {
      expect(await serve.stop('SIGTERM')).toBe(0);
    }
    const output = serve.stdout + serve.stderr;
    expect(output).not.toContain(login.password);
    expect(serve.stdout).toContain(`on ${redactUrl(login.url)}`);
    expect(serve.stdout).toContain(`--database '${redactUrl(login.url)}'`);
    expect(serve.stdout).toContain(':***@');
  });

  it('is masked in the start line of worker', async () => {
    const worker = new CliProcess(['worker', '--tasks', FIXTURE_TASKS, '--database', login.url], {
      cwd: box.dir,
    });
    try {
      await worker.waitForOutput(/stop with Ctrl-C/, 20_000);
    } finally {
      expect(await worker.stop('SIGTERM')).toBe(0);
    }
    expect(worker.stdout + worker.stderr).not.toContain(login.password);
    expect(worker.stdout).toContain(`started on ${redactUrl(login.url)}`);
  });

  it('is masked when the database refuses it, or it does not parse', async () => {
    const wrong = new URL(login.url);
    wrong.password = `Wrong${randomBytes(8).toString('hex')}`;
    const refused = await runCli(['ls', '--database', wrong.toString()], { cwd: box.dir });
    expect(refused.code).toBe(5);
    expect(refused.stdout + refused.stderr).not.toContain(wrong.password);
    const broken = `postgres://someone:Broken${randomBytes(8).toString('hex')}@host:port/db`;
    const invalid = await runCli(['ls', '--database', broken], { cwd: box.dir });
    expect(invalid.code).toBe(5);
    expect(invalid.stdout + invalid.stderr).not.toContain('Broken');
  });

  it('masks every way a password may be written', () => {
    for (const [url, shown] of [
      ['postgres://u:s3cret@h:5432/db?schema=a', 'postgres://u:***@h:5432/db?schema=a'],
      ['postgres://u:p@ss/w?rd@h/db', 'postgres://u:***@h/db'],
      ['postgresql://:s3cret@h/db', 'postgresql://:***@h/db'],
      ['postgres://h/db?password=s3cret&pool=2', 'postgres://h/db?password=***&pool=2'],
      ['postgres://u@h/db', 'postgres://u@h/db'],
      ['sqlite:./taskmill.db', 'sqlite:./taskmill.db'],
    ]) {
      expect(redactUrl(url as string), url).toBe(shown);
    }
  });
});
