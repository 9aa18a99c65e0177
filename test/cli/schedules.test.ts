/**
 * `taskmill schedules …` on a database and through a server, `show` printing a task's schedule
 * link, the schedules file applied by `serve`, `worker` and `scheduler`, `taskmill scheduler`
 * firing ticks on its own, and `--no-scheduler`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CliProcess,
  DEMO_TASKS,
  FIXTURE_TASKS,
  makeSandbox,
  runCli,
  type Sandbox,
} from './helpers.ts';

const SEED_FILE = new URL('../../examples/schedules/cron_jobs.json', import.meta.url).pathname;

let box: Sandbox;
beforeEach(() => {
  box = makeSandbox();
});
afterEach(() => box.cleanup());

/** Each test runs many CLI processes: about a second each, several on a loaded machine. */
const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli([...args, '--database', box.database], { cwd: box.dir, env });

describe('taskmill schedules on the database', () => {
  it('adds, lists, shows, runs now, gives next times, runs, the report, disables and removes', async () => {
    const added = await cli([
      'schedules',
      'add',
      'nightly',
      '--cron',
      '0 2 * * *',
      '--timezone',
      'Asia/Shanghai',
      '--task',
      't.echo',
      '--input',
      '{"text":"hi"}',
      '--overlap',
      'skip',
      '--tasks',
      FIXTURE_TASKS,
    ]);
    expect(added.stderr).toBe('');
    expect(added.stdout).toMatch(
      /schedule nightly added \(0 2 \* \* \* Asia\/Shanghai → t\.echo\); next run \d{4}-\d\d-\d\d 02:00:00 Asia\/Shanghai/,
    );

    // Every option of add reaches the definition.
    const weekly = await cli([
      ...['schedules', 'add', 'weekly', '--cron', '@weekly', '--task', 't.echo'],
      ...['--input', '{"text":"w"}', '--priority', 'high', '--queue', 'reports'],
      ...['--max-attempts', '2', '--timeout', '30s', '--description', 'once a week'],
      ...['--catch-up', 'all', '--catch-up-window', '2h', '--disabled', '--json'],
      ...['--tasks', FIXTURE_TASKS],
    ]);
    expect(JSON.parse(weekly.stdout)).toMatchObject({
      name: 'weekly',
      input: { text: 'w' },
      priority: 'high',
      queue: 'reports',
      maxAttempts: 2,
      timeout: { hardMs: 30_000 },
      description: 'once a week',
      catchUp: 'all',
      catchUpWindowMs: 7_200_000,
      enabled: false,
      nextRunAt: null,
    });
    await cli(['schedules', 'rm', 'weekly']);

    const bad = await cli([
      'schedules',
      'add',
      'bad',
      '--cron',
      '61 * * * *',
      '--task',
      't.echo',
      '--tasks',
      FIXTURE_TASKS,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error SCHEDULE_INVALID: .*"cron"/);

    const ls = await cli(['schedules', 'ls']);
    expect(ls.stdout).toMatch(/^NAME +CRON +ZONE +TASK +ENABLED/);
    expect(ls.stdout).toMatch(/nightly +0 2 \* \* \* +Asia\/Shanghai +t\.echo +yes/);

    const next = await cli([
      'schedules',
      'next',
      'nightly',
      '-n',
      '2',
      '--from',
      '2026-03-01T00:00:00Z',
    ]);
    expect(next.stdout.trim().split('\n')).toEqual([
      '2026-03-01T18:00:00.000Z  2026-03-02 02:00:00 Asia/Shanghai',
      '2026-03-02T18:00:00.000Z  2026-03-03 02:00:00 Asia/Shanghai',
    ]);

    const run = await cli(['schedules', 'run', 'nightly', '--json', '--tasks', FIXTURE_TASKS]);
    const made = JSON.parse(run.stdout) as { taskId: string; manual: boolean };
    expect(made.manual).toBe(true);
    const show = await cli(['show', made.taskId]);
    expect(show.stdout).toMatch(/^schedule +nightly, tick \S+Z \(run now\)$/m);

    const runs = await cli(['schedules', 'runs', 'nightly']);
    expect(runs.stdout).toMatch(new RegExp(`run now +${made.taskId} +queued`));
    const report = await cli(['schedules', 'report', '--days', '2']);
    expect(report.stdout).toMatch(
      new RegExp(`${new Date().toISOString().slice(0, 10)} +nightly +1 `),
    );
    const detail = await cli(['schedules', 'show', 'nightly']);
    expect(detail.stdout).toMatch(/^overlap +skip$/m);
    expect(detail.stdout).toMatch(/^runs +1 \(0 completed, 0 failed\)$/m);

    // Disabling needs no definition of the task type: the database alone will do.
    expect((await cli(['schedules', 'disable', 'nightly'])).stdout).toMatch(
      /schedule nightly disabled/,
    );
    expect((await cli(['schedules', 'ls', '--json'])).stdout).toMatch(/"enabled": false/);
    expect((await cli(['schedules', 'rm', 'nightly'])).stdout).toMatch(/removed/);
    const gone = await cli(['schedules', 'show', 'nightly']);
    expect(gone.code).toBe(3);
    expect(gone.stderr).toMatch(/^error SCHEDULE_NOT_FOUND: /);
  }, 120_000);

  it("applies seed 003's file once, and refuses a file with one bad entry, applying nothing", async () => {
    const applied = await cli(['schedules', 'apply', SEED_FILE, '--tasks', DEMO_TASKS]);
    expect(applied.stdout).toMatch(
      /: 2 created \(data_collection, system_cleanup\), 0 updated, 0 unchanged, 0 disabled/,
    );
    const again = await cli(['schedules', 'apply', SEED_FILE, '--tasks', DEMO_TASKS]);
    expect(again.stdout).toMatch(/: 0 created, 0 updated, 2 unchanged, 0 disabled/);

    const file = path.join(box.dir, 'taskmill.schedules.json');
    writeFileSync(
      file,
      JSON.stringify({
        cron_jobs: {
          health_check: { cron_expression: '*/30 * * * *' },
          system_cleanup: { cron_expression: '@fortnightly' },
        },
      }),
    );
    const refused = await cli(['schedules', 'apply', '--tasks', DEMO_TASKS]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /^error SCHEDULE_FILE_INVALID: .*taskmill\.schedules\.json: "cron_jobs\.system_cleanup\.cron_expression" .*Nothing from the file was applied\./,
    );
    const names = JSON.parse((await cli(['schedules', 'ls', '--json'])).stdout) as {
      name: string;
      enabled: boolean;
    }[];
    expect(names.map((s) => [s.name, s.enabled])).toEqual([
      ['data_collection', true],
      ['system_cleanup', true],
    ]);
  }, 60_000);
});

describe('the scheduler in long-running commands', () => {
  it('`taskmill scheduler` applies the file, fires ticks on its own, and stops on SIGTERM', async () => {
    const file = path.join(box.dir, 'every-second.yaml');
    writeFileSync(
      file,
      'schedules:\n  - name: tick\n    cron: "* * * * * *"\n    task: t.echo\n    input: { text: tock }\n',
    );
    const scheduler = new CliProcess(
      ['scheduler', '--schedules', file, '--tasks', FIXTURE_TASKS, '--database', box.database],
      { cwd: box.dir },
    );
    try {
      await scheduler.waitForOutput(/taskmill scheduler on .*: 1 schedules, 1 enabled/, 20_000);
      expect(scheduler.stdout).toMatch(/schedules from .*every-second\.yaml: 1 created \(tick\)/);
      const fired = await scheduler.waitForOutput(
        /schedule tick {2}tick \S+ fired → task (\S+)/,
        15_000,
      );
      expect(await scheduler.stop('SIGTERM')).toBe(0);
      expect(scheduler.stdout).toMatch(/stopped\n$/);
      const show = await cli(['show', fired[1] ?? '']);
      expect(show.stdout).toMatch(/^status +queued$/m);
      expect(show.stdout).toMatch(/^schedule +tick, tick \S+Z$/m);
    } finally {
      await scheduler.stop('SIGKILL');
    }
  }, 60_000);

  it('`worker --no-scheduler` fires no tick; a plain `worker` does', async () => {
    const added = await cli([
      'schedules',
      'add',
      'every-second',
      '--cron',
      '* * * * * *',
      '--task',
      't.echo',
      '--input',
      '{"text":"tick"}',
      '--tasks',
      FIXTURE_TASKS,
    ]);
    expect(added.code).toBe(0);
    const runsWhile = async (flags: string[]): Promise<number> => {
      const worker = new CliProcess(
        ['worker', ...flags, '--tasks', FIXTURE_TASKS, '--database', box.database],
        { cwd: box.dir },
      );
      try {
        await worker.waitForOutput(/stop with Ctrl-C/, 20_000);
        // A task that holds the worker for 2.5 s: every second of it is a tick a running
        // scheduler fires at once (its first pass runs at start, then one a second).
        const nap = await cli([
          'submit',
          't.nap',
          '--input',
          '{"ms":2500}',
          '--wait',
          '--tasks',
          FIXTURE_TASKS,
        ]);
        expect(nap.code, nap.stderr).toBe(0);
        expect(await worker.stop()).toBe(0);
      } finally {
        await worker.stop('SIGKILL');
      }
      const shown = await cli(['schedules', 'show', 'every-second']);
      return Number(/^runs +(\d+)/m.exec(shown.stdout)?.[1] ?? Number.NaN);
    };
    expect(await runsWhile(['--no-scheduler'])).toBe(0);
    expect(await runsWhile([])).toBeGreaterThanOrEqual(2);
  });

  it('`worker --no-scheduler` says so; serve applies the default file and answers --server', async () => {
    writeFileSync(
      path.join(box.dir, 'taskmill.schedules.json'),
      JSON.stringify([
        { name: 'hourly-echo', cron: '@hourly', task: 't.echo', input: { text: 'x' } },
      ]),
    );
    const worker = new CliProcess(
      ['worker', '--no-scheduler', '--tasks', FIXTURE_TASKS, '--database', box.database],
      { cwd: box.dir },
    );
    try {
      await worker.waitForOutput(/stop with Ctrl-C/, 20_000);
      expect(worker.stdout).toMatch(/scheduler: off \(--no-scheduler\)/);
      expect(worker.stdout).toMatch(
        /schedules from .*taskmill\.schedules\.json: 1 created \(hourly-echo\)/,
      );
      expect(await worker.stop()).toBe(0);
    } finally {
      await worker.stop('SIGKILL');
    }
    const serve = new CliProcess(
      ['serve', '--port', '0', '--tasks', FIXTURE_TASKS, '--database', box.database, '--quiet'],
      { cwd: box.dir },
    );
    try {
      const url = (await serve.waitForOutput(/HTTP API: (http:\/\/\S+)\/api\/v1/, 20_000))[1] ?? '';
      expect(serve.stdout).toMatch(/scheduler: on/);
      expect(serve.stdout).toMatch(/: 0 created, 0 updated, 1 unchanged, 0 disabled/);
      const remote = (args: string[]) => runCli([...args, '--server', url], { cwd: box.dir });
      expect((await remote(['schedules', 'ls'])).stdout).toMatch(
        /hourly-echo +@hourly +UTC +t\.echo +yes/,
      );
      const run = await remote(['schedules', 'run', 'hourly-echo']);
      expect(run.stdout).toMatch(/schedule hourly-echo ran now: task \S+/);
      const missing = await remote(['schedules', 'show', 'nope']);
      expect(missing.code).toBe(3);
      expect(await serve.stop()).toBe(0);
    } finally {
      await serve.stop('SIGKILL');
    }
  }, 90_000);
});
