/**
 * The long-running commands as child processes: a `worker` that another CLI process submits to,
 * and `serve --demo` with the bundled demo tasks. Both must stop cleanly on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.ts';
import {
  CliProcess,
  type CliResult,
  DEMO_SCHEDULES,
  DEMO_TASKS,
  FIXTURE_TASKS,
  makeSandbox,
  runCli,
  type Sandbox,
} from './helpers.ts';

interface JsonTask {
  id: string;
  type: string;
  status: string;
  attempt: number;
  progress: number | null;
  output: unknown;
}

const TERMINAL = ['completed', 'failed', 'timed_out', 'cancelled'];

describe('worker and submit --wait', () => {
  let box: Sandbox;
  let worker: CliProcess;
  const cli = (...args: string[]): Promise<CliResult> =>
    runCli([...args, '--database', box.database, '--tasks', FIXTURE_TASKS], { cwd: box.dir });

  beforeAll(async () => {
    box = makeSandbox();
    worker = new CliProcess(
      [
        'worker',
        '--concurrency',
        '2',
        '--prefetch',
        '0',
        '--database',
        box.database,
        '--tasks',
        FIXTURE_TASKS,
      ],
      { cwd: box.dir },
    );
    await worker.waitForOutput(/worker \S+ started/);
  });

  afterAll(async () => {
    await worker.stop('SIGKILL');
    box.cleanup();
  });

  it('lists the running worker and the queues', async () => {
    const workers = JSON.parse((await cli('workers', '--json')).stdout);
    expect(workers.workers).toEqual([
      expect.objectContaining({
        state: 'online',
        concurrency: 2,
        types: ['t.echo', 't.steps', 't.fail', 't.nap'],
      }),
    ]);
    expect(workers.unservedTypes).toEqual([]);
    const text = await cli('workers');
    expect(text.stdout).toMatch(/^NAME\s+STATE\s+LOAD/);
    expect(text.stdout).toContain('online');
    await cli(
      'submit',
      't.echo',
      '--input',
      '{"text":"q"}',
      '--queue',
      'side',
      '--delay',
      '3600000',
    );
    const queues = JSON.parse((await cli('queues', '--json')).stdout);
    expect(queues).toContainEqual(
      expect.objectContaining({
        name: 'side',
        paused: false,
        counts: expect.objectContaining({ queued: 1 }),
      }),
    );
  });

  it('waits for a task to complete, printing each progress change, and exits 0', async () => {
    const result = await cli('submit', 't.steps', '--input', '{"count":3}', '--wait');
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^submitted [0-9a-f-]{36} \(t\.steps\); waiting/);
    expect(lines).toContain('running 33% step 1 of 3  (attempt 1/3)');
    expect(lines.at(-1)).toMatch(
      /^completed \d+(\.\d)?m?s after submit \(1 attempt, the last ran \d+(\.\d)?m?s\); output: \{"count":3\}$/,
    );
  });

  it('exits with the failed code when the task fails, and --json prints the final task', async () => {
    const result = await cli('submit', 't.fail', '--wait', '--json');
    expect(result.code, result.stderr).toBe(10);
    const task = JSON.parse(result.stdout);
    expect(task).toMatchObject({ type: 't.fail', status: 'failed' });
    expect(task.error.message).toBe('fails on purpose');
  });

  it('follows logs until the task ends, then refuses to cancel it', async () => {
    const submitted = JSON.parse((await cli('submit', 't.steps', '--json')).stdout) as JsonTask;
    const follow = await cli('logs', submitted.id, '--follow');
    expect(follow.code, follow.stderr).toBe(0);
    expect(follow.stdout).toMatch(
      /#1 {2}info {3}step 1 done\n.*step 2 done\n.*step 3 done\n-- task completed\n$/,
    );
    const logs = JSON.parse((await cli('logs', submitted.id, '--json')).stdout);
    expect(logs.map((l: { message: string }) => l.message)).toEqual([
      'step 1 done',
      'step 2 done',
      'step 3 done',
    ]);
    const before = JSON.parse((await cli('stats', '--json')).stdout).total;
    const cancel = await cli('cancel', submitted.id);
    expect(cancel.code).toBe(4);
    expect(cancel.stderr).toMatch(/^error TASK_ILLEGAL_TRANSITION: .*"completed"/);
    expect(JSON.parse((await cli('stats', '--json')).stdout).total).toBe(before);
    const show = JSON.parse((await cli('show', submitted.id, '--json')).stdout);
    expect(show.executions).toHaveLength(1);
    expect(show.executions[0].outcome).toBe('completed');
  });

  it('stops on SIGTERM with exit code 0', async () => {
    const id = /^worker (\S+) started on /m.exec(worker.stdout)?.[1];
    expect(id).toBeDefined();
    // Each line names the worker that made the change.
    expect(worker.stdout).toMatch(
      new RegExp(`t\\.steps\\s+\\S+ {2}queued → running.*\\[worker ${id}\\]$`, 'm'),
    );
    expect(await worker.stop('SIGTERM')).toBe(0);
    expect(worker.stdout).toMatch(/SIGTERM: stopping worker[\s\S]*stopped\n$/);
  });
});

describe('serve --demo', () => {
  let box: Sandbox;
  let serve: CliProcess;

  beforeAll(() => {
    box = makeSandbox();
  });

  afterAll(async () => {
    await serve?.stop('SIGKILL');
    box.cleanup();
  });

  it('runs the demo tasks to their ends and stops cleanly on SIGTERM', async () => {
    // As `npm start` runs it: the demo tasks and seed 003's schedules.
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.scripts.start).toMatch(/ --demo --schedules examples\/demo\/schedules\.json$/);
    serve = new CliProcess(
      [
        'serve',
        '--demo',
        '--port',
        '0',
        '--tasks',
        DEMO_TASKS,
        '--database',
        box.database,
        '--schedules',
        DEMO_SCHEDULES,
      ],
      {
        cwd: box.dir,
      },
    );
    await serve.waitForOutput(/stop with Ctrl-C/);
    expect(serve.stdout).toMatch(/submitted 8 demo tasks:/);
    // The showcase tasks, one line each: id, type, note.
    const shown = [
      ...(/submitted 8 demo tasks:\n((?: {2}\S+ .*\n){8})/.exec(serve.stdout)?.[1] ?? '').matchAll(
        /^ {2}(\S+) /gm,
      ),
    ].map((m) => m[1]);
    expect(shown).toHaveLength(8);
    // And a backlog for the dashboard, without a line each; the banner names the dashboard.
    expect(serve.stdout).toMatch(/submitted 41 more demo tasks \(demoBacklog\) for the dashboard/);
    expect(serve.stdout).toMatch(/ {2}dashboard: http:\/\/127\.0\.0\.1:\d+\/\n/);
    expect(serve.stdout).toMatch(
      /schedules from .*schedules\.json: 3 created \(data_collection, system_cleanup, health_check\)/,
    );
    expect(serve.stdout).toMatch(/schedules run system_cleanup --database/);
    expect(serve.stdout).toMatch(/demo\.checksum \(process\), .*demo\.primes \(thread\)/);
    // The banner's URL is the API this process serves.
    const api = /HTTP API: (http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(serve.stdout)?.[1];
    expect(api).toBeDefined();
    expect(await (await fetch(`${api}/health`)).json()).toMatchObject({ status: 'ok' });
    expect(serve.stdout).toContain(`taskmill ls --database ${box.database}`);
    expect(serve.stdout).toMatch(/submit demo\.flaky --input '\{"failTimes":2\}' --wait/);
    const tasks = await waitFor(
      'every demo task to finish',
      async () => {
        const ls = await runCli(['ls', '--json', '--limit', '1000', '--database', box.database], {
          cwd: box.dir,
        });
        // The every-minute schedule may add health_check tasks meanwhile; the backlog's tasks
        // include some that wait for a Python worker or start minutes later.
        const page = JSON.parse(ls.stdout) as { tasks: JsonTask[] };
        const demo = page.tasks.filter((t) => shown.includes(t.id));
        return demo.length === 8 && demo.every((t) => TERMINAL.includes(t.status))
          ? demo
          : undefined;
      },
      { timeoutMs: 20_000, everyMs: 100 },
    );
    const byType = (type: string) => tasks.filter((t) => t.type === type);
    expect(byType('demo.resize').map((t) => t.status)).toEqual(['completed', 'completed']);
    expect(byType('demo.email')[0]?.status).toBe('completed');
    expect(byType('demo.flaky')[0]).toMatchObject({ status: 'completed', attempt: 3 });
    expect(byType('demo.slow')[0]?.status).toBe('timed_out');
    expect(byType('demo.report')[0]?.status).toBe('completed');
    expect(byType('demo.primes')[0]).toMatchObject({ status: 'completed', progress: 100 });
    expect(byType('demo.checksum')[0]).toMatchObject({ status: 'completed', progress: 100 });
    const checksum = byType('demo.checksum')[0]?.output as { pid: number };
    expect(checksum.pid).not.toBe(serve.child.pid);
    const id = byType('demo.checksum')[0]?.id ?? '';
    const show = await runCli(['show', id, '--database', box.database], { cwd: box.dir });
    expect(show.stdout).toMatch(new RegExp(`RAN IN[\\s\\S]*process ${checksum.pid}`));
    expect(serve.stdout).toMatch(/demo\.slow\s+\S+ {2}passed its soft timeout/);

    // Seed 003's jobs run: the nightly cleanup, run now, completes with its schedule link.
    const ran = await runCli(
      [
        'schedules',
        'run',
        'system_cleanup',
        '--json',
        '--tasks',
        DEMO_TASKS,
        '--database',
        box.database,
      ],
      { cwd: box.dir },
    );
    const { taskId } = JSON.parse(ran.stdout) as { taskId: string };
    await serve.waitForOutput(new RegExp(`system_cleanup +${taskId} +running → completed`), 15_000);
    const cleanup = await runCli(['show', taskId, '--database', box.database], { cwd: box.dir });
    expect(cleanup.stdout).toMatch(/^schedule +system_cleanup, tick \S+Z \(run now\)$/m);
    expect(await serve.stop('SIGTERM')).toBe(0);
    expect(serve.stderr).toBe('');
  });
});
