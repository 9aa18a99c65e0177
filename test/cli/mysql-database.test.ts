/**
 * The CLI on a MySQL/MariaDB database, as a user runs it: `migrate` with `--database`, a
 * `worker` that finds the URL in its config file, and `submit --wait` / `ls` against it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshMysqlDatabase } from '../helpers/mysql.ts';
import { CliProcess, FIXTURE_TASKS, makeSandbox, runCli, type Sandbox } from './helpers.ts';

let box: Sandbox;
const cleanups: (() => unknown)[] = [];
beforeEach(() => {
  box = makeSandbox();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  box.cleanup();
});

async function database(label: string): Promise<string> {
  const db = await freshMysqlDatabase(label);
  cleanups.push(db.drop);
  return db.url;
}

describe('the CLI on MySQL/MariaDB', () => {
  it('migrates a database given with --database, then finds it up to date', async () => {
    const url = await database('cli_migrate');
    const first = await runCli(['migrate', '--json', '--database', url], { cwd: box.dir });
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ version: 7, applied: [1, 2, 3, 4, 5, 6, 7] });
    const second = await runCli(['migrate', '--database', url.replace(/^mysql:/, 'mariadb:')], {
      cwd: box.dir,
    });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe('schema is up to date (version 7)\n');
  });

  it('runs a worker whose config file names the database, fed by submit --wait', async () => {
    const url = await database('cli_worker');
    writeFileSync(
      path.join(box.dir, 'taskmill.config.json'),
      JSON.stringify({ database: url, tasks: FIXTURE_TASKS }),
    );
    const worker = new CliProcess(['worker', '--concurrency', '2'], { cwd: box.dir });
    cleanups.push(() => worker.stop('SIGKILL'));
    await worker.waitForOutput(/worker \S+ started/, 20_000);
    const cli = (...args: string[]) =>
      runCli([...args, '--database', url, '--tasks', FIXTURE_TASKS], {
        cwd: box.dir,
        timeoutMs: 30_000,
      });
    const submitted = await cli('submit', 't.echo', '--input', '{"text":"hi"}', '--wait', '--json');
    expect(submitted.code, submitted.stderr).toBe(0);
    expect(JSON.parse(submitted.stdout)).toMatchObject({
      status: 'completed',
      output: { echoed: 'hi' },
    });
    const listed = await cli('ls', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).tasks).toEqual([
      expect.objectContaining({ type: 't.echo', status: 'completed' }),
    ]);
    expect(await worker.stop('SIGTERM')).toBe(0);
  });

  it('refuses a URL of no known kind with exit code 5, naming the mysql:// form', async () => {
    const result = await runCli(['ls', '--database', 'mongodb://db/x'], { cwd: box.dir });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/^error DATABASE_URL_INVALID: .*mysql:\/\/user:password@host/);
  });
});
